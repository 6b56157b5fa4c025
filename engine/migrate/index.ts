export { migrate, type MigrateOptions, type MigrateResult, type MigrateTimings } from './migrate';
