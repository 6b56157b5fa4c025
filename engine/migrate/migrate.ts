/**
 * A whole migration in one process (the command line, the benchmark): the plan's data into Neo4j over Bolt or
 * a Gremlin server, through runPlan (schema first, then nodes, then relationships, with checkpoints in the graph).
 */
import type { GraphConnection } from '../connect/graph-connection';
import type { PostgresConnection } from '../connect/postgres-connection';
import { assertValidPlan } from '../plan/validate';
import { graphTargetOf } from '../write/graph-target-of';
import { runPlan, type MigrateOptions, type MigrateResult } from './run-plan';

export { runPlan, type MigrateOptions, type MigrateResult, type MigrateTimings } from './run-plan';

export async function migrate(source: PostgresConnection, target: GraphConnection, options: MigrateOptions): Promise<MigrateResult> {
  const plan = assertValidPlan(options.plan);
  const concurrency = options.concurrency ?? plan.options?.concurrency ?? 4;
  const writer = graphTargetOf(target, { concurrency, batchTimeoutMs: options.batchTimeoutMs, hooks: options.writerHooks });
  return runPlan(source, writer, () => target.check(), { ...options, plan, concurrency });
}
