/**
 * Index advice for a translation (README.md, From SQL to Cypher): the properties its WHERE and ORDER BY read
 * that no index of the graph covers (SHOW INDEXES: the key constraints' own indexes count, as does a composite
 * index that starts with the property), the CREATE INDEX statements for them, and the graph's EXPLAIN plan.
 */
import type { Neo4jConnection } from '../connect/neo4j-connection';
import { toDriverParams } from '../query/params';
import { runGraphQuery } from '../query/run-graph-query';
import { quoteName } from './names';
import type { FilteredProperty } from './types';

export interface IndexedProperty {
  label: string;
  property: string;
}

/** The (label, leading property) pairs the graph's node indexes can answer a filter on. */
export async function indexedProperties(graph: Neo4jConnection): Promise<IndexedProperty[]> {
  const result = await runGraphQuery(graph, 'SHOW INDEXES YIELD entityType, type, labelsOrTypes, properties');
  const indexed: IndexedProperty[] = [];
  for (const row of result.rows) {
    const labels = row.labelsOrTypes as string[] | null;
    const properties = row.properties as string[] | null;
    // a LOOKUP index answers "has this label", a FULLTEXT one only its own procedures: neither helps a WHERE
    if (row.entityType !== 'NODE' || row.type === 'LOOKUP' || row.type === 'FULLTEXT' || !labels?.length || !properties?.length) continue;
    for (const label of labels) indexed.push({ label, property: properties[0] });
  }
  return indexed;
}

/** The filtered properties without an index, each (label, property) once. */
export function unindexed(filters: readonly FilteredProperty[], indexed: readonly IndexedProperty[]): IndexedProperty[] {
  const missing: IndexedProperty[] = [];
  for (const { label, property } of filters) {
    if (indexed.some((i) => i.label === label && i.property === property)) continue;
    if (!missing.some((m) => m.label === label && m.property === property)) missing.push({ label, property });
  }
  return missing;
}

export function createIndexStatement({ label, property }: IndexedProperty): string {
  return `CREATE INDEX IF NOT EXISTS FOR (n:${quoteName(label)}) ON (n.${quoteName(property)})`;
}

export interface PlanOperator {
  operator: string;
  /** What the operator works on, as the server describes it (e.g. "n:Member", "n.surname = $p1"). */
  details?: string;
  depth: number;
}

interface RawPlan {
  operatorType: string;
  arguments?: Record<string, unknown>;
  children?: RawPlan[];
}

/** The graph's EXPLAIN of the Cypher (nothing runs): its operators from the result outward, as a list with their depth. */
export async function explainCypher(graph: Neo4jConnection, cypher: string, parameters: Record<string, unknown>): Promise<PlanOperator[]> {
  const session = graph.session('READ');
  try {
    const result = await session.run(`EXPLAIN ${cypher}`, toDriverParams(parameters));
    const operators: PlanOperator[] = [];
    const walk = (plan: RawPlan, depth: number) => {
      const details = plan.arguments?.Details;
      operators.push({ operator: plan.operatorType.replace(/@.*$/, ''), ...(typeof details === 'string' && details ? { details } : {}), depth });
      for (const child of plan.children ?? []) walk(child, depth + 1);
    };
    const plan = result.summary.plan;
    if (plan) walk(plan, 0);
    return operators;
  } catch (error) {
    throw graph.translate(error);
  } finally {
    await session.close();
  }
}
