/**
 * The test Gremlin Server (GREMLIN_URL, started by the test hooks when the environment names none): a connection,
 * counts per vertex and edge label, clearing, and the Java types the server holds (GREMLIN_INSPECT_URL, the
 * launcher's inspection endpoint; absent for a server the environment names).
 */
import { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';

export const CHECKPOINT_LABEL = 'Pg2GraphCheckpoint';

export function gremlinUrl(): string {
  const url = process.env.GREMLIN_URL;
  if (!url) throw new Error('GREMLIN_URL is not set: the test hooks start a Gremlin Server and set it');
  return url;
}

export function testGremlin(): GremlinConnection {
  return new GremlinConnection({ url: gremlinUrl(), traversalSource: process.env.GREMLIN_TRAVERSAL_SOURCE || 'g' });
}

const count = (value: unknown) => Number(String(value));

/** Vertices per label (checkpoints apart) and edges per label. */
export async function gremlinCounts(connection: GremlinConnection): Promise<{ nodes: Record<string, number>; relationships: Record<string, number> }> {
  const g = connection.g();
  const [vertices] = await connection.run<Map<string, unknown>>(g.V().groupCount().by(gremlinLabel()), 30_000, 'vertex counts');
  const [edges] = await connection.run<Map<string, unknown>>(g.E().groupCount().by(gremlinLabel()), 30_000, 'edge counts');
  const nodes = Object.fromEntries(
    [...(vertices ?? new Map<string, unknown>())].filter(([label]) => label !== CHECKPOINT_LABEL).map(([label, n]) => [label, count(n)]),
  );
  const relationships = Object.fromEntries([...(edges ?? new Map<string, unknown>())].map(([label, n]) => [label, count(n)]));
  return { nodes, relationships };
}

export async function gremlinCheckpointCount(connection: GremlinConnection): Promise<number> {
  const [n] = await connection.run(connection.g().V().hasLabel(CHECKPOINT_LABEL).count(), 30_000, 'checkpoint count');
  return count(n);
}

/** Sum of the `batches` of every checkpoint vertex. */
export async function gremlinCommittedBatches(connection: GremlinConnection): Promise<number> {
  const values = await connection.run(connection.g().V().hasLabel(CHECKPOINT_LABEL).values('batches'), 30_000, 'checkpoint batches');
  return values.reduce<number>((sum, value) => sum + count(value), 0);
}

export async function clearGremlin(connection: GremlinConnection): Promise<void> {
  await connection.run(connection.g().V().drop(), 60_000, 'clearing the graph');
}

function gremlinProcess() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('gremlin') as typeof import('gremlin')).process;
}

function gremlinLabel() {
  return gremlinProcess().t.label;
}

export interface StoredProperty {
  key: string;
  /** Java class of each value, in order (several for list cardinality). */
  classes: string[];
  values: string[];
}

export interface StoredElement {
  id: string;
  label: string;
  properties: StoredProperty[];
}

/** Every vertex and edge with the Java classes of its property values, as the server holds them. */
export async function storedTypes(): Promise<{ vertices: StoredElement[]; edges: StoredElement[] } | undefined> {
  const base = process.env.GREMLIN_INSPECT_URL;
  if (!base) return undefined;
  const response = await fetch(`${base}/types`);
  if (!response.ok) throw new Error(`${base}/types answered ${response.status}`);
  return (await response.json()) as { vertices: StoredElement[]; edges: StoredElement[] };
}

/** Every element with its properties as readable typed text, sorted: equal snapshots mean an equal graph. */
export async function gremlinSnapshot(connection: GremlinConnection): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { describeGremlinValue } = require('../../dist/engine/gremlin/values') as typeof import('../../dist/engine/gremlin/values');
  const canonical = (value: unknown): unknown =>
    value instanceof Map
      ? [...value].map(([key, item]) => [typeof key === 'string' ? key : String((key as { elementName?: string }).elementName), canonical(item)]).sort()
      : Array.isArray(value)
        ? value.map(canonical)
        : describeGremlinValue(value);
  const { statics: __, t } = gremlinProcess();
  const g = connection.g();
  const vertices = await connection.run(g.V().not(__.hasLabel(CHECKPOINT_LABEL)).valueMap(true), 60_000, 'vertex snapshot');
  const edges = await connection.run(
    g.E().project('id', 'label', 'out', 'in', 'properties').by(t.id).by(t.label).by(__.outV().id()).by(__.inV().id()).by(__.valueMap()),
    60_000,
    'edge snapshot',
  );
  return [...vertices.map((v) => `V ${JSON.stringify(canonical(v))}`), ...edges.map((e) => `E ${JSON.stringify(canonical(e))}`)].sort();
}
