/**
 * The probe (engine/probe) on a connection of its own: one read-only snapshot under the reader's session
 * settings, so example keys print as the reader prints them. Plan time (pg2graph plan, the pg schema node) and
 * `pg2graph plan --check` use it; a run probes inside its own snapshot instead (PlanRun's preflight).
 */
import type { PostgresConnection } from '../connect/postgres-connection';
import { isPg2GraphError } from '../core/errors';
import type { GraphPlan } from '../plan/types';
import { probePlan, type ProbeOptions, type ProbeResult } from '../probe';
import { ReadSnapshot } from './snapshot';

export async function probeDatabase(connection: PostgresConnection, plan: GraphPlan, options: ProbeOptions = {}): Promise<ProbeResult> {
  const snapshot = await ReadSnapshot.open(connection, options.signal);
  try {
    return await probePlan(snapshot, plan, options);
  } catch (error) {
    snapshot.destroy();
    throw isPg2GraphError(error) ? error : snapshot.translate(error);
  } finally {
    await snapshot.close();
  }
}
