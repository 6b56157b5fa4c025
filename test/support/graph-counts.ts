/** Counts of what is in the graph, for comparing with the source. */
import neo4j, { type Driver } from 'neo4j-driver';
import { quoteName } from '../../dist/engine/cypher/names';

/** Nodes per label and relationships per type (the writer's checkpoint nodes left out). */
export async function graphCounts(driver: Driver): Promise<{ nodes: Record<string, number>; relationships: Record<string, number> }> {
  const nodes: Record<string, number> = {};
  const byLabel = await driver.executeQuery('MATCH (n) WHERE NOT n:Pg2GraphCheckpoint UNWIND labels(n) AS label RETURN label, count(*) AS n');
  for (const r of byLabel.records) nodes[r.get('label')] = neo4j.integer.toNumber(r.get('n'));
  const relationships: Record<string, number> = {};
  const byType = await driver.executeQuery('MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n');
  for (const r of byType.records) relationships[r.get('type')] = neo4j.integer.toNumber(r.get('n'));
  return { nodes, relationships };
}

/** Relationships that repeat the same (start, type, end): a resumed run must never leave any. */
export async function duplicateRelationships(driver: Driver): Promise<number> {
  const result = await driver.executeQuery('MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(r) AS n WHERE n > 1 RETURN coalesce(sum(n - 1), 0) AS extra');
  return neo4j.integer.toNumber(result.records[0].get('extra'));
}

/** Nodes beyond the first that hold the same key of a node entry (its label and key properties): a resumed run must never leave any. */
export async function duplicateNodeKeys(driver: Driver, plan: { nodes: ReadonlyArray<{ label: string; key: readonly string[] }> }): Promise<number> {
  let extra = 0;
  for (const entry of plan.nodes) {
    const keys = entry.key.map((k, i) => `n.${quoteName(k)} AS k${i}`).join(', ');
    const result = await driver.executeQuery(
      `MATCH (n:${quoteName(entry.label)}) WITH ${keys}, count(*) AS c WHERE c > 1 RETURN coalesce(sum(c - 1), 0) AS extra`,
    );
    extra += neo4j.integer.toNumber(result.records[0].get('extra'));
  }
  return extra;
}

/** Checkpoint nodes in the graph, and how many batches they count together. */
export async function checkpoints(driver: Driver): Promise<{ nodes: number; batches: number; complete: number }> {
  const result = await driver.executeQuery(
    'MATCH (c:Pg2GraphCheckpoint) RETURN count(c) AS nodes, coalesce(sum(c.batches), 0) AS batches, count(CASE WHEN c.complete THEN 1 END) AS complete',
  );
  const record = result.records[0];
  return { nodes: Number(record.get('nodes')), batches: Number(record.get('batches')), complete: Number(record.get('complete')) };
}
