/** The write node's status throttle: at most one update per interval, and the latest one always shows. */
import assert from 'assert/strict';
import { ThrottledStatus } from '../../dist/nodes/write/throttled-status';

describe('pg2graph-write status throttle', () => {
  it('shows the first update at once, folds a burst into one trailing update, and never loses the last', async () => {
    const shown: string[] = [];
    const status = new ThrottledStatus((s) => shown.push(String(s.text)), 100);
    for (let i = 1; i <= 50; i += 1) status.update(() => ({ text: `batch ${i}` }));
    assert.deepEqual(shown, ['batch 1']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(shown, ['batch 1', 'batch 50']);
    status.now({ text: 'failed' });
    status.update(() => ({ text: 'later' }));
    assert.deepEqual(shown, ['batch 1', 'batch 50', 'failed'], 'an update right after is held back');
    status.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(shown, ['batch 1', 'batch 50', 'failed'], 'stop drops what was pending');
  });
});
