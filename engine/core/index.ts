export { Pg2GraphError, isPg2GraphError, messageOf } from './errors';
export type { Phase, BatchInfo, RowBatch, NodeBatch, RelationshipBatch, RecordBatch, WriteStats, Acknowledgement } from './records';
