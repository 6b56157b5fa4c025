export { migrate, type MigrateOptions, type MigrateResult, type MigrateTimings } from './migrate';
export { exportPlan, type ExportOptions, type ExportResult } from './export';
