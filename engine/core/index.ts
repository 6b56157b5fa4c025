export { Pg2GraphError, isPg2GraphError, messageOf } from './errors';
export { ERROR_CODES, type ErrorCode } from './error-codes';
export type {
  Phase,
  RowKey,
  SourceMark,
  BatchInfo,
  RowBatch,
  NodeBatch,
  RelationshipBatch,
  RecordBatch,
  RowReject,
  OnInvalid,
  WriteStats,
  Acknowledgement,
  RunControl,
} from './records';
export { emptyStats, addStats, pickStats } from './stats';
export { sameMembers, compareText } from './sets';
export { integerSetting, optionalIntegerSetting, type IntegerSettingSpec } from './settings';
export { onceUnlessFailed, PerRun } from './memo';
export { withDeadline, settlesWithin } from './deadline';
