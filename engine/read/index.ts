export { ReadSnapshot, VALUE_TEXT_SETTINGS, type TextRow } from './snapshot';
export { prepareRead, type PreparedRead } from './prepare';
export { readEntry, checkBatchSize, MAX_BATCH_SIZE, type ReadEntryOptions, type RowKey } from './read-entry';
export { PlanRun, checkWindow, type PlanRunOptions, type RunBatch, type RunResult, type RunProgress, type EntryTotals, type ResumePoint, type AckOutcome } from './plan-run';
export { singleEntryPlan, parseTableName, type SingleEntryRequest } from './single-entry';
export { resumeFromCheckpoints, type CheckpointSource, type CheckpointResume } from './resume';
