export { translateSql } from './translate';
export type { Translation, TranslationNote, TranslateOptions } from './types';
export { checkParity, type ParityOptions, type ParityResult } from './check';
export type { FilteredProperty } from './types';
export {
  constructKind,
  parseSuite,
  runSuite,
  suiteTotals,
  type SuiteEntry,
  type SuiteOptions,
  type SuiteReport,
  type SuiteResult,
  type SuiteStatus,
  type SuiteTotals,
} from './suite';
export { createIndexStatement, explainCypher, indexedProperties, unindexed, type IndexedProperty, type PlanOperator } from './indexes';
