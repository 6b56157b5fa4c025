export { verify, type VerifyOptions } from './verify';
export type { VerifyProgress } from './context';
export { checkAggregateSpecs, type AggregateResult } from './aggregates';
export { DEFAULT_VERIFY_BATCH_SIZE } from './options';
export { sameGraphValue } from './compare';
export { describeGraphValue } from '../values/graph-text';
export { kindOf, type GraphValueKind } from '../values/graph-kind';
export {
  formatReport,
  countFailures,
  keyText,
  MAX_EXAMPLES,
  type VerificationReport,
  type EntryReport,
  type CheckResult,
  type CheckName,
  type AggregateSpec,
  type KeyValues,
  type KeyExample,
  type PairExample,
  type ValueExample,
  type Example,
} from './report';
export { countEntries, countMismatchLines, type EntryCount, type CountCheckOptions } from './count-check';
export { graphSideOf } from './sides';
export type { GraphSide, FoundRecord } from './graph-side';
