/**
 * The test side of the Gremlin Server: a traversal source over a connection (closed by the caller), and what the
 * launcher's inspection endpoint (GET /types, scripts/gremlin/GremlinLauncher.java) says the server holds: every
 * id and value with its Java class, as Neptune would be handed them.
 */
import gremlin from 'gremlin';
import { testGremlin } from './env';

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
