/**
 * The test side of the Gremlin Server (GREMLIN_URL, started by the test hooks when the environment names none): a
 * pg2graph connection or a plain client session to it (closed by the caller), counts per vertex and edge label,
 * snapshots, clearing, and what the launcher's inspection endpoint (GET /types, scripts/gremlin/GremlinLauncher.java)
 * says the server holds: every id and value with its Java class, as Neptune would be handed them.
 */
import gremlin from 'gremlin';
import { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import { testGremlin } from './env';

export const CHECKPOINT_LABEL = 'Pg2GraphCheckpoint';

export function gremlinUrl(): string {
  return testGremlin().url;
}

/** A pg2graph connection to the test server (closed by the caller). */
export function testGremlinConnection(): GremlinConnection {
  const { url, traversalSource } = testGremlin();
  return new GremlinConnection({ url, traversalSource });
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
  return gremlin.process;
}

function gremlinLabel() {
  return gremlinProcess().t.label;
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

export const GRAPHBINARY = 'application/vnd.graphbinary-v1.0';
export const GRAPHSON_V3 = 'application/vnd.gremlin-v3.0+json';

export interface GremlinSession {
  g: gremlin.process.GraphTraversalSource;
  close(): Promise<void>;
}

export function gremlinSession(mimeType: string = GRAPHBINARY): GremlinSession {
  const { url, traversalSource } = testGremlin();
  const connection = new gremlin.driver.DriverRemoteConnection(url, { mimeType, traversalSource });
  const g = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);
  return { g, close: () => connection.close() };
}

/** A stored value as text (dates as UTC instants, bytes as base64) and its Java class name. */
export interface StoredValue {
  value: string | null;
  class: string | null;
  /** meta-properties of a vertex property (Neptune has none) */
  meta?: ({ key: string } & StoredValue)[];
}

export interface StoredVertex {
  id: string;
  idClass: string;
  label: string;
  /** by key; each key's values in the order the graph holds them (more than one: a set or list cardinality) */
  properties: { key: string; values: StoredValue[] }[];
}

export interface StoredEdge {
  id: string;
  idClass: string;
  label: string;
  outV: StoredValue;
  inV: StoredValue;
  properties: ({ key: string } & StoredValue)[];
}

export interface StoredGraph {
  vertices: StoredVertex[];
  edges: StoredEdge[];
}

/** The whole graph as the server holds it, ordered by id; needs the throwaway server's inspection endpoint. */
export async function storedGraph(): Promise<StoredGraph> {
  const { inspectUrl } = testGremlin();
  if (!inspectUrl) throw new Error('GREMLIN_INSPECT_URL is not set: the Gremlin Server named by GREMLIN_URL has no inspection endpoint');
  const response = await fetch(`${inspectUrl}/types`);
  if (!response.ok) throw new Error(`${inspectUrl}/types answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as StoredGraph;
}
