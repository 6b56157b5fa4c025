export {
  PLAN_VERSION,
  type GraphPlan,
  type NodeEntry,
  type RelationshipEntry,
  type PropertyMapping,
  type ComputedProperty,
  type PlanOptions,
  type AggregateSpec,
} from './types';
export { generatePlan, DEFAULT_BATCH_SIZE, type GenerateOptions } from './generate';
export { validatePlan, assertValidPlan, type PlanValidation } from './validate';
export { loadPlan, parsePlanText } from './load';
export { applyOverrides, type PlanOverrides, type AppliedOverrides } from './overrides';
export { parseOverrides } from './overrides-check';
export { buildPlan, type BuiltPlan } from './build';
export { explainPlan, summarizePlan, planWarnings, type PlanSummary } from './explain';
export { allowedRulesByEntry } from './allowed';
export { planFingerprint } from './fingerprint';
export { ROW_HASH_PROPERTY, ROW_HASH_COLUMN } from './row-content';
export type { PlanProblem } from './problems';
export {
  ROW_HASH_ALIAS,
  isRelationshipEntry,
  sourceTable,
  describeSource,
  entryColumns,
  keyColumnsOf,
  columnProperties,
  type PlanEntry,
} from './entry-columns';
export { relationshipEnds, nodeLabels, type RelationshipEnds, type EndInfo } from './ends';
export { isValidated, type ValidPlan } from './valid';
