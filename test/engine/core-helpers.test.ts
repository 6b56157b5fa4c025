/** Small helpers of engine/core that several layers share. */
import assert from 'assert/strict';
import { integerSetting, onceUnlessFailed, optionalIntegerSetting, sameMembers } from '../../dist/engine/core';

describe('core helpers', () => {
  it('sameMembers: the same names in any order, as many on each side', () => {
    assert.equal(sameMembers(['a', 'b'], ['b', 'a']), true);
    assert.equal(sameMembers([], []), true);
    assert.equal(sameMembers(['a'], ['a', 'b']), false);
    assert.equal(sameMembers(['a', 'c'], ['a', 'b']), false);
    // with repeats it checks a against b only, as the callers it replaced did
    assert.equal(sameMembers(['x', 'x'], ['x', 'y']), true);
    assert.equal(sameMembers(['x', 'y'], ['x', 'x']), false);
  });

  describe('integer settings', () => {
    const spec = { code: 'READ_BATCH_SIZE_INVALID' as const, setting: 'batchSize', min: 1, max: 1_000_000 };

    it('takes numbers and numeric text within the range', () => {
      assert.equal(integerSetting(5, spec), 5);
      assert.equal(integerSetting(' 500 ', spec), 500);
      assert.equal(integerSetting('1000000', spec), 1_000_000);
      assert.equal(integerSetting(0, { ...spec, min: 0, max: undefined }), 0);
      assert.equal(integerSetting(10 ** 12, { ...spec, max: undefined }), 10 ** 12);
    });

    it("names the setting, the range and the value, with the caller's code and details", () => {
      assert.throws(() => integerSetting(0, spec), {
        code: 'READ_BATCH_SIZE_INVALID',
        message: '"batchSize" must be an integer from 1 to 1,000,000, got 0',
        details: { setting: 'batchSize', value: 0 },
      });
      assert.throws(() => integerSetting('abc', spec), { message: '"batchSize" must be an integer from 1 to 1,000,000, got "abc"' });
      assert.throws(() => integerSetting(1.5, spec), { message: '"batchSize" must be an integer from 1 to 1,000,000, got 1.5' });
      assert.throws(() => integerSetting(2_000_000, spec), { message: '"batchSize" must be an integer from 1 to 1,000,000, got 2000000' });
      assert.throws(
        () => integerSetting('-1', { code: 'CLI_FLAG_INVALID', setting: 'concurrency', what: '--concurrency', min: 1, details: { flag: 'concurrency' } }),
        { code: 'CLI_FLAG_INVALID', message: '--concurrency must be an integer of at least 1, got "-1"', details: { flag: 'concurrency' } },
      );
    });

    it('refuses blank text, booleans and missing values; the optional form reads them as not given', () => {
      for (const bad of ['', '  ', true, undefined, null, NaN, [5]]) assert.throws(() => integerSetting(bad, spec), { code: 'READ_BATCH_SIZE_INVALID' });
      for (const absent of [undefined, null, '']) assert.equal(optionalIntegerSetting(absent, spec), undefined);
      assert.equal(optionalIntegerSetting('7', spec), 7);
      assert.throws(() => optionalIntegerSetting('  ', spec), { message: '"batchSize" must be an integer from 1 to 1,000,000, got "  "' });
    });
  });

  it('onceUnlessFailed: one piece of work per key while it succeeds, again after a failure', async () => {
    const cache = new Map<string, Promise<number>>();
    let calls = 0;
    const work = (fail: boolean) => async () => {
      calls += 1;
      if (fail) throw new Error('busy');
      return calls;
    };
    const first = onceUnlessFailed(cache, 'a', work(false));
    assert.equal(onceUnlessFailed(cache, 'a', work(false)), first);
    assert.equal(await first, 1);
    assert.equal(await onceUnlessFailed(cache, 'a', work(false)), 1);
    await assert.rejects(onceUnlessFailed(cache, 'b', work(true)), /busy/);
    assert.equal(cache.has('b'), false);
    assert.equal(await onceUnlessFailed(cache, 'b', work(false)), 3);
    assert.equal(calls, 3);
  });
});
