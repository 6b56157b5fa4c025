/** The nodes' status throttle: at most one update per interval, and the latest one always shows. */
import assert from 'assert/strict';
import { ThrottledStatus } from '../../dist/nodes/lib/throttled-status';

describe('node status throttle', () => {
  it('shows the first update at once, folds a burst into one trailing update, and never loses the last', async () => {
    const shown: string[] = [];
    const status = new ThrottledStatus({ status: (s) => shown.push(String((s as { text?: string }).text)) }, 100);
    let evaluated = 0;
    for (let i = 1; i <= 50; i += 1)
      status.set(() => {
        evaluated += 1;
        return { text: `batch ${i}` };
      });
    assert.deepEqual(shown, ['batch 1']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(shown, ['batch 1', 'batch 50']);
    assert.equal(evaluated, 2, 'an update given as a function is made only when it is shown');
    status.now({ text: 'failed' });
    status.set({ text: 'later' });
    assert.deepEqual(shown, ['batch 1', 'batch 50', 'failed'], 'an update right after is held back');
    status.clear();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(shown, ['batch 1', 'batch 50', 'failed'], 'clear drops what was pending');
  });
});
