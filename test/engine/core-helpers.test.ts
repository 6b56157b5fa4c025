/** Small helpers of engine/core that several layers share. */
import assert from 'assert/strict';
import { sameMembers } from '../../dist/engine/core';

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
});
