/** Pure parts of a run's lifecycle: contiguous progress, checkpoint ownership, stored form, resume points. */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import {
  advanceCheckpoint, advanceProgress, decodeCheckpoint, describeResume, EMPTY_CHECKPOINT, encodeCheckpoint, isComplete,
  resumeFromCheckpoints, startProgress, toEntryCheckpoint, type CheckpointState,
} from '../../dist/engine/run';
import type { BatchInfo } from '../../dist/engine/core';

const batch = (run: string, index: number, lastKey: string, extra: Partial<BatchInfo> = {}) =>
  ({ run, index, lastKey: [lastKey], last: false, ...extra });

describe('run lifecycle logic', () => {
  describe('contiguous progress', () => {
    it('advances over consecutive batches and holds back batches after a gap', () => {
      let progress = startProgress();
      progress = advanceProgress(progress, { index: 1, lastKey: ['20'], last: false });
      assert.deepEqual({ batches: progress.batches, lastKey: progress.lastKey }, { batches: 0, lastKey: undefined }, 'batch 1 alone leaves a gap at 0');
      progress = advanceProgress(progress, { index: 3, lastKey: ['40'], last: true });
      progress = advanceProgress(progress, { index: 0, lastKey: ['10'], last: false });
      assert.deepEqual({ batches: progress.batches, lastKey: progress.lastKey, pending: progress.pending }, { batches: 2, lastKey: ['20'], pending: [[3, ['40']]] });
      assert.equal(isComplete(progress), false);
      progress = advanceProgress(progress, { index: 2, lastKey: ['30'], last: false });
      assert.deepEqual({ batches: progress.batches, lastKey: progress.lastKey, pending: progress.pending }, { batches: 4, lastKey: ['40'], pending: [] });
      assert.equal(isComplete(progress), true);
    });

    it('starts a resumed reading at its resume key and ignores a replayed batch', () => {
      let progress = startProgress(['50']);
      assert.deepEqual(progress.lastKey, ['50']);
      progress = advanceProgress(progress, { index: 0, lastKey: ['60'], last: false });
      assert.deepEqual(advanceProgress(progress, { index: 0, lastKey: ['60'], last: false }), progress);
    });

    it('a cursor read (no keys) counts batches and completes', () => {
      let progress = startProgress();
      progress = advanceProgress(progress, { index: 1, last: true });
      progress = advanceProgress(progress, { index: 0, last: false });
      assert.deepEqual([progress.batches, progress.lastKey, isComplete(progress)], [2, undefined, true]);
    });
  });

  describe('checkpoint ownership', () => {
    // run A read from the start, batches 0..1 committed, 3..4 beyond a gap at 2
    const owned = (): CheckpointState => [0, 1, 3, 4].reduce(
      (state, i) => advanceCheckpoint(state, batch('A', i, String((i + 1) * 100))), EMPTY_CHECKPOINT);

    it('the first reading from the start owns the checkpoint; its pending batches wait for the gap', () => {
      const state = owned();
      assert.deepEqual({ owner: state.owner, batches: state.batches, lastKey: state.lastKey, pending: state.pending },
        { owner: 'A', batches: 2, lastKey: ['200'], pending: [[3, ['400']], [4, ['500']]] });
    });

    it('a reading resumed from the owner\'s key takes over without the old pending batches (other batch size)', () => {
      // B resumed after 200 (what A vouched for), with smaller batches: its index 0 ends at 250, index 1 at 300
      const resumedAfter = { key: ['200'], from: 'A' };
      let state = advanceCheckpoint(owned(), batch('B', 1, '300', { resumedAfter }));
      assert.deepEqual({ owner: state.owner, batches: state.batches, lastKey: state.lastKey, pending: state.pending },
        { owner: 'B', batches: 0, lastKey: ['200'], pending: [[1, ['300']]] }, 'A\'s pending 3 and 4 do not count for B');
      state = advanceCheckpoint(state, batch('B', 0, '250', { resumedAfter }));
      assert.deepEqual([state.batches, state.lastKey], [2, ['300']], 'never beyond what B wrote');
      state = advanceCheckpoint(state, batch('B', 2, '350', { resumedAfter }));
      assert.deepEqual([state.batches, state.lastKey, state.pending], [3, ['350'], []]);
    });

    it('a late commit of the old reading after the take-over claims nothing, and the new reading takes it back', () => {
      const resumedAfter = { key: ['200'], from: 'A' };
      const taken = advanceCheckpoint(owned(), batch('B', 0, '250', { resumedAfter }));
      const late = advanceCheckpoint(taken, batch('A', 2, '300'));
      assert.deepEqual({ batches: late.batches, lastKey: late.lastKey }, { batches: 0, lastKey: undefined }, 'A\'s batch 2 cannot join its old progress');
      const back = advanceCheckpoint(late, batch('B', 1, '300', { resumedAfter }));
      assert.deepEqual({ owner: back.owner, batches: back.batches, lastKey: back.lastKey, pending: back.pending },
        { owner: 'B', batches: 0, lastKey: ['200'], pending: [[1, ['300']]] }, 'B claims again from the key A had vouched for, never more');
    });

    it('a reading resumed from a key nobody vouched for claims nothing', () => {
      const state = owned();
      assert.deepEqual(advanceCheckpoint(state, batch('C', 0, '900', { resumedAfter: { key: ['800'] } })), state, 'no origin');
      assert.deepEqual(advanceCheckpoint(state, batch('C', 0, '900', { resumedAfter: { key: ['800'], from: 'Z' } })), state, 'another origin');
      assert.deepEqual(advanceCheckpoint(EMPTY_CHECKPOINT, batch('C', 0, '900', { resumedAfter: { key: ['800'], from: 'Z' } })), EMPTY_CHECKPOINT, 'not even an empty one');
    });

    it('a new reading from the start takes over from nothing', () => {
      const state = advanceCheckpoint(owned(), batch('D', 0, '50'));
      assert.deepEqual({ owner: state.owner, batches: state.batches, lastKey: state.lastKey, pending: state.pending }, { owner: 'D', batches: 1, lastKey: ['50'], pending: [] });
    });

    it('stores scalars only and reads them back', () => {
      const state = owned();
      const stored = encodeCheckpoint(state, false);
      assert.ok(neo4j.isInt(stored.batches), 'counts travel as Integer, not Float');
      assert.equal(typeof stored.lastKey, 'string');
      assert.equal(stored.owner, 'A');
      assert.deepEqual(decodeCheckpoint(stored), state);
      assert.deepEqual(toEntryCheckpoint('e', state), { entry: 'e', owner: 'A', batches: 2, lastKey: ['200'], complete: false });
    });
  });

  describe('resume points', () => {
    it('tells a reader where each unfinished entry continues, who vouches for it, and which entries are done', () => {
      const resume = resumeFromCheckpoints(new Map([
        ['a', { entry: 'a', owner: 'A', batches: 3, lastKey: ['30'], complete: false }],
        ['b', { entry: 'b', owner: 'A', batches: 5, lastKey: ['x', null], complete: true }],
        ['c', { entry: 'c', batches: 0, complete: false }],
        ['d', { entry: 'd', owner: 'A', batches: 2, complete: false }],
      ]));
      assert.deepEqual(resume, { points: { a: ['30'], b: 'done' }, from: { a: 'A' } });
      assert.deepEqual(describeResume(resume), { resumed: ['a'], skipped: ['b'] });
    });
  });
});
