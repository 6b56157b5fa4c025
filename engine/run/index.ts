/** A run's lifecycle: contiguous progress, checkpoints (state, Bolt store), resume points. */
export { startProgress, advanceProgress, isComplete, type ContiguousProgress, type SettledBatch } from './progress';
export { advanceCheckpoint, toEntryCheckpoint, EMPTY_CHECKPOINT, type CheckpointState, type EntryCheckpoint } from './checkpoint-state';
export type { CheckpointStore } from './checkpoint-store';
export {
  BoltCheckpoints,
  CHECKPOINT_LABEL,
  checkpointStatements,
  type CheckpointStatements,
  CHECKPOINT_KEY,
  decodeCheckpoint,
  decodeMark,
  encodeCheckpoint,
  type CypherRunner,
  type StatementRunner,
} from './bolt-checkpoints';
export { checkpointsOf, sessionRunner } from './connection-checkpoints';
export { resumeFromCheckpoints, describeResume, NO_RESUME, type ResumePoint, type ResumeFrom } from './resume';
export { GremlinCheckpoints, type TraversalRunner } from './gremlin-checkpoints';
