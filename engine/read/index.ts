export { ReadSnapshot, VALUE_TEXT_SETTINGS, type TextRow } from './snapshot';
export { prepareRead, type PreparedRead } from './prepare';
export { readEntry, checkBatchSize, keyText, MAX_BATCH_SIZE, type ReadEntryOptions } from './read-entry';
export {
  PlanRun,
  checkWindow,
  type PlanRunOptions,
  type RunBatch,
  type RunOutlet,
  type RunResult,
  type RunProgress,
  type EntryTotals,
  type RereadEntry,
  type AckOutcome,
} from './plan-run';
export { singleEntryPlan, parseTableName, type SingleEntryRequest } from './single-entry';
export { probeDatabase } from './probe-database';
export { checkMark, readMark, snapshotXmin, comparableXid, MAX_XID_DISTANCE, type MarkCheck } from './source-mark';
