/** Pure parts of a run's lifecycle: contiguous progress, checkpoint ownership, stored form, resume points. */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import {
  advanceCheckpoint,
  advanceProgress,
  decodeCheckpoint,
  decodeMark,
  describeResume,
  EMPTY_CHECKPOINT,
  encodeCheckpoint,
  isComplete,
  resumeFromCheckpoints,
  startProgress,
  toEntryCheckpoint,
  type CheckpointState,
} from '../../dist/engine/run';
import type { BatchInfo } from '../../dist/engine/core';
import { comparableXid, MAX_XID_DISTANCE } from '../../dist/engine/read';

const batch = (run: string, index: number, lastKey: string, extra: Partial<BatchInfo> = {}) => ({ run, index, lastKey: [lastKey], last: false, ...extra });

describe('run lifecycle logic', () => {
  describe('contiguous progress', () => {
    it('advances over consecutive batches and holds back batches after a gap', () => {
      let progress = startProgress();
      progress = advanceProgress(progress, { index: 1, lastKey: ['20'], last: false });
      assert.deepEqual({ batches: progress.batches, lastKey: progress.lastKey }, { batches: 0, lastKey: undefined }, 'batch 1 alone leaves a gap at 0');
      progress = advanceProgress(progress, { index: 3, lastKey: ['40'], last: true });
      progress = advanceProgress(progress, { index: 0, lastKey: ['10'], last: false });
      assert.deepEqual(
        { batches: progress.batches, lastKey: progress.lastKey, pending: progress.pending },
        { batches: 2, lastKey: ['20'], pending: [[3, ['40']]] },
      );
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
    const owned = (): CheckpointState => [0, 1, 3, 4].reduce((state, i) => advanceCheckpoint(state, batch('A', i, String((i + 1) * 100))), EMPTY_CHECKPOINT);
    const claim = (state: CheckpointState) => ({ owner: state.owner, batches: state.batches, lastKey: state.lastKey, pending: state.pending });

    it('the first reading from the start owns a new checkpoint; its pending batches wait for the gap', () => {
      assert.deepEqual(claim(owned()), {
        owner: 'A',
        batches: 2,
        lastKey: ['200'],
        pending: [
          [3, ['400']],
          [4, ['500']],
        ],
      });
    });

    it("a reading resumed from the owner's key takes over without the old pending batches (other batch size)", () => {
      // B found A's checkpoint and resumed after 200, with smaller batches: its index 0 ends at 250, index 1 at 300
      const origin = { after: ['200'], from: 'A' };
      let state = advanceCheckpoint(owned(), batch('B', 1, '300', { origin }));
      assert.deepEqual(claim(state), { owner: 'B', batches: 0, lastKey: ['200'], pending: [[1, ['300']]] }, "A's pending 3 and 4 do not count for B");
      state = advanceCheckpoint(state, batch('B', 0, '250', { origin }));
      assert.deepEqual([state.batches, state.lastKey], [2, ['300']], 'never beyond what B wrote');
      state = advanceCheckpoint(state, batch('B', 2, '350', { origin }));
      assert.deepEqual([state.batches, state.lastKey, state.pending], [3, ['350'], []]);
    });

    it('a late commit of the old reading after the take-over claims nothing, and leaves the new owner alone', () => {
      const origin = { after: ['200'], from: 'A' };
      const taken = advanceCheckpoint(owned(), batch('B', 0, '250', { origin }));
      assert.deepEqual(advanceCheckpoint(taken, batch('A', 2, '300')), taken, 'A began from nothing, not from B');
      const next = advanceCheckpoint(taken, batch('B', 1, '300', { origin }));
      assert.deepEqual(claim(next), { owner: 'B', batches: 2, lastKey: ['300'], pending: [] });
    });

    it('a reading restarted from the start takes over only from the owner it found', () => {
      assert.deepEqual(claim(advanceCheckpoint(owned(), batch('D', 0, '50', { origin: { from: 'A' } }))), {
        owner: 'D',
        batches: 1,
        lastKey: ['50'],
        pending: [],
      });
      assert.deepEqual(advanceCheckpoint(owned(), batch('D', 0, '50')), owned(), 'without naming A it claims nothing');
      assert.deepEqual(advanceCheckpoint(owned(), batch('D', 0, '50', { origin: { from: 'Z' } })), owned(), 'naming another run it claims nothing');
    });

    it('two readings that began from the same owner never take the checkpoint from each other in turn', () => {
      const origin = { after: ['200'], from: 'A' };
      let state = advanceCheckpoint(owned(), batch('B', 0, '250', { origin }));
      state = advanceCheckpoint(state, batch('C', 0, '260', { origin }));
      state = advanceCheckpoint(state, batch('B', 1, '300', { origin }));
      assert.deepEqual(claim(state), { owner: 'B', batches: 2, lastKey: ['300'], pending: [] }, "C's batch claimed nothing");
    });

    it('a reading resumed from a key nobody vouched for claims nothing', () => {
      const state = owned();
      assert.deepEqual(advanceCheckpoint(state, batch('C', 0, '900', { origin: { after: ['800'] } })), state, 'no origin run');
      assert.deepEqual(advanceCheckpoint(state, batch('C', 0, '900', { origin: { after: ['800'], from: 'Z' } })), state, 'another origin run');
      assert.deepEqual(
        advanceCheckpoint(EMPTY_CHECKPOINT, batch('C', 0, '900', { origin: { after: ['800'], from: 'Z' } })),
        EMPTY_CHECKPOINT,
        'not even a new checkpoint',
      );
      assert.deepEqual(
        advanceCheckpoint(EMPTY_CHECKPOINT, batch('C', 0, '900', { origin: { after: ['800'] } })),
        EMPTY_CHECKPOINT,
        'a resume key alone is no claim',
      );
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
      const resume = resumeFromCheckpoints(
        new Map([
          ['a', { entry: 'a', owner: 'A', batches: 3, lastKey: ['30'], complete: false }],
          ['b', { entry: 'b', owner: 'A', batches: 5, lastKey: ['x', null], complete: true }],
          ['c', { entry: 'c', batches: 0, complete: false }],
          ['d', { entry: 'd', owner: 'A', batches: 2, complete: false }],
        ]),
      );
      assert.deepEqual(
        resume,
        { points: { a: ['30'], b: 'done' }, from: { a: 'A', b: 'A', d: 'A' }, marks: {} },
        "d reads again from its start, from A's checkpoint; b names its owner for a re-read",
      );
      assert.deepEqual(describeResume(resume), { resumed: ['a'], skipped: ['b'] });
    });
  });

  describe('source marks (what a reading saw of its source, checked on resume)', () => {
    const mark = { xmin: '4294967301', rows: 120 };

    it("a checkpoint keeps the mark of its owner's reading, stores it and reads it back", () => {
      let state = advanceCheckpoint(EMPTY_CHECKPOINT, batch('A', 0, '10', { mark }));
      assert.deepEqual(state.mark, mark);
      // a batch of a reading that does not own the checkpoint changes nothing, its mark neither
      state = advanceCheckpoint(state, batch('B', 0, '5', { mark: { xmin: '9', rows: 1 } }));
      assert.deepEqual(state.mark, mark);
      const stored = encodeCheckpoint(state, false);
      assert.equal(typeof stored.source, 'string', 'stored as a JSON text, a scalar every dialect holds');
      assert.deepEqual(decodeCheckpoint(stored).mark, mark);
      assert.deepEqual(toEntryCheckpoint('e', state).mark, mark);
      // the reading that takes the checkpoint over (it began from A) brings its own snapshot's mark
      const next = { xmin: '4294967400', rows: 130 };
      state = advanceCheckpoint(state, batch('C', 0, '20', { origin: { after: ['10'], from: 'A' }, mark: next }));
      assert.deepEqual([state.owner, state.mark], ['C', next]);
      // a reading that records none (a SQL entry) leaves none: a resume reads that entry again
      state = advanceCheckpoint(state, batch('C', 1, '30'));
      assert.equal(state.mark, undefined);
      assert.equal(encodeCheckpoint(state, false).source, null);
    });

    it('a stored mark that is not one reads as none (the entry counts as changed)', () => {
      for (const bad of [
        null,
        undefined,
        42,
        'not json',
        '{}',
        '{"xmin":"12","rows":-1}',
        '{"xmin":12,"rows":3}',
        '{"xmin":"1e5","rows":3}',
        '{"xmin":"5","rows":1.5}',
      ]) {
        assert.equal(decodeMark(bad), undefined, String(bad));
      }
      assert.deepEqual(decodeMark('{"xmin":"12","rows":3,"extra":true}'), { xmin: '12', rows: 3 });
    });

    it('resume points carry the marks of finished and half-read entries', () => {
      const resume = resumeFromCheckpoints(
        new Map([
          ['a', { entry: 'a', owner: 'A', batches: 3, lastKey: ['30'], complete: false, mark }],
          ['b', { entry: 'b', owner: 'A', batches: 5, complete: true, mark }],
          ['c', { entry: 'c', owner: 'A', batches: 1, lastKey: ['1'], complete: false }],
        ]),
      );
      assert.deepEqual(resume.marks, { a: mark, b: mark }, 'c has no mark: it is read again');
    });

    it('compares transaction ids in 32 bits only while they are close enough', () => {
      // the 32-bit id of an xid8 is its low 32 bits
      assert.equal(comparableXid('4294967301', '4294967400'), '5');
      assert.equal(comparableXid('1000', '1000'), '1000');
      assert.equal(comparableXid('1000', String(1000n + MAX_XID_DISTANCE)), '1000');
      assert.equal(comparableXid('1000', String(1001n + MAX_XID_DISTANCE)), undefined, 'too far apart: counts as changed');
      assert.equal(comparableXid('2000', '1999'), undefined, 'ids went backwards (another server): counts as changed');
    });
  });
});
