/** What the proofs by loading share: a plan as pg2graph plan makes it, an export, a clean verify, the online graph to compare with. */
import assert from 'assert/strict';
import { exportPlan, type ExportResult } from '../../dist/engine/migrate/export';
import { migrate } from '../../dist/engine/migrate/migrate';
import { verify } from '../../dist/engine/verify/verify';
import { formatReport } from '../../dist/engine/verify/report';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { ExportFormatName } from '../../dist/engine/write/files/format';
import { clearGraph, neo4jSettings, testDriver, type ScratchDatabase } from './databases';
import { graphSnapshot } from '../engine/write-batches';

export async function planOf(db: ScratchDatabase, schema: string): Promise<GraphPlan> {
  const connection = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-plan' });
  try {
    return generatePlan(await introspectDatabase(connection, { schemas: [schema] }));
  } finally {
    await connection.close();
  }
}

export async function exportTo(db: ScratchDatabase, plan: GraphPlan, dir: string, format: ExportFormatName, gzip: boolean): Promise<ExportResult> {
  const source = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-export' });
  try {
    return await exportPlan(source, { plan, out: dir, format, gzip });
  } finally {
    await source.close();
  }
}

/** The engine's verify of the loaded graph passes, every check. */
export async function verifyClean(db: ScratchDatabase, target: Neo4jConnection, plan: GraphPlan): Promise<void> {
  const source = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-verify' });
  try {
    const report = await verify(source, target, { plan });
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.failed, 0);
  } finally {
    await source.close();
  }
}

/** The same plan written by the online writer into the shared test Neo4j: the graph a loaded one must equal. */
export async function onlineSnapshot(db: ScratchDatabase, plan: GraphPlan, log?: (line: string) => void) {
  const driver = testDriver();
  const source = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-migrate' });
  const target = new Neo4jConnection(neo4jSettings());
  try {
    await clearGraph(driver);
    const started = Date.now();
    await migrate(source, target, { plan });
    log?.(`online migrate of the same plan: ${Date.now() - started} ms`);
    return await graphSnapshot(driver);
  } finally {
    await clearGraph(driver).catch(() => undefined);
    await Promise.allSettled([source.close(), target.close(), driver.close()]);
  }
}
