export { runGraphQuery, GRAPH_QUERY_TIMEOUT_MS, type GraphQueryOptions, type GraphQueryResult } from './run-graph-query';
export { toDriverParams } from './params';
export {
  compareResultSets,
  describeResultValue,
  type ResultSet,
  type SourceResultSet,
  type CompareOptions,
  type ResultDifference,
  type DifferenceKind,
  type ResultComparison,
} from './compare-results';
