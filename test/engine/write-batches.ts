/** Hand-built record batches and graph snapshots for the writer tests. */
import neo4j, { type Driver } from 'neo4j-driver';
import type { BatchInfo, NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';

let seq = 0;

export function batchInfo(entry: string, index: number, rows: unknown[][], keyLength: number, overrides: Partial<BatchInfo> = {}): BatchInfo {
  seq += 1;
  const key = (row: unknown[] | undefined) => row?.slice(0, keyLength).map((v) => (v === null ? null : String(v)));
  return {
    run: 'run-1',
    seq,
    phase: 'nodes',
    entry,
    index,
    rows: rows.length,
    firstKey: key(rows[0]),
    lastKey: key(rows[rows.length - 1]),
    last: false,
    ...overrides,
  };
}

export interface NodeSpec {
  entry: string;
  labels: string[];
  key: string[];
  columns: string[];
}

export function nodeBatch(spec: NodeSpec, rows: unknown[][], index = 0, overrides: Partial<BatchInfo> = {}): NodeBatch {
  return {
    kind: 'nodes',
    labels: spec.labels,
    key: spec.key,
    columns: spec.columns,
    rows,
    batch: batchInfo(spec.entry, index, rows, spec.key.length, overrides),
  };
}

export interface RelationshipSpec {
  entry: string;
  type: string;
  from: { labels: string[]; match: string[] };
  to: { labels: string[]; match: string[] };
  columns: string[];
}

export function relationshipBatch(spec: RelationshipSpec, rows: unknown[][], index = 0, overrides: Partial<BatchInfo> = {}): RelationshipBatch {
  const keyLength = spec.from.match.length + spec.to.match.length;
  return {
    kind: 'relationships',
    type: spec.type,
    from: spec.from,
    to: spec.to,
    columns: spec.columns,
    rows,
    skippedNullMatch: 0,
    batch: batchInfo(spec.entry, index, rows, keyLength, { phase: 'relationships', ...overrides }),
  };
}

/** Splits rows into consecutive batches of `size`; the last one is marked last. */
export function nodeBatches(spec: NodeSpec, rows: unknown[][], size: number, overrides: Partial<BatchInfo> = {}): NodeBatch[] {
  const batches: NodeBatch[] = [];
  for (let start = 0, index = 0; start < rows.length; start += size, index += 1) {
    batches.push(nodeBatch(spec, rows.slice(start, start + size), index, { last: start + size >= rows.length, ...overrides }));
  }
  return batches;
}

export function relationshipBatches(spec: RelationshipSpec, rows: unknown[][], size: number, overrides: Partial<BatchInfo> = {}): RelationshipBatch[] {
  const batches: RelationshipBatch[] = [];
  for (let start = 0, index = 0; start < rows.length; start += size, index += 1) {
    batches.push(relationshipBatch(spec, rows.slice(start, start + size), index, { last: start + size >= rows.length, ...overrides }));
  }
  return batches;
}

export const int = (n: number) => neo4j.int(n);

/** A value as comparable text (Integers and temporals keep their exact form). */
function plain(value: unknown): unknown {
  if (neo4j.isInt(value)) return `int:${value.toString()}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Int8Array) return `bytes:${Array.from(value).join(',')}`;
  if (value && typeof value === 'object') {
    if ((value as object).toString !== Object.prototype.toString) return `${value.constructor.name}:${String(value)}`;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

/** Every node (but checkpoints) and relationship with its full property map, in a stable order. */
export async function graphSnapshot(driver: Driver): Promise<{ nodes: string[]; relationships: string[] }> {
  const nodes = await driver.executeQuery('MATCH (n) WHERE NOT n:Pg2GraphCheckpoint RETURN labels(n) AS labels, properties(n) AS props');
  const relationships = await driver.executeQuery(
    'MATCH (a)-[r]->(b) RETURN type(r) AS type, labels(a) AS fromLabels, properties(a) AS fromProps, labels(b) AS toLabels, properties(b) AS toProps, properties(r) AS props',
  );
  const text = (records: typeof nodes.records) => records.map((record) => JSON.stringify(plain(record.toObject()))).sort();
  return { nodes: text(nodes.records), relationships: text(relationships.records) };
}

export async function count(driver: Driver, cypher: string, params: Record<string, unknown> = {}): Promise<number> {
  const result = await driver.executeQuery(cypher, params);
  return neo4j.integer.toNumber(result.records[0].get(0));
}

/** Resolves when `count` callers have arrived, or rejects after the timeout: proves that much ran at once. */
export function barrier(size: number, timeoutMs = 10_000): { arrive(): Promise<void>; arrived(): number } {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const timeout = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`only ${arrived} of ${size} arrived at the barrier`)), timeoutMs).unref());
  return {
    arrive() {
      arrived += 1;
      if (arrived >= size) open();
      return Promise.race([opened, timeout]);
    },
    arrived: () => arrived,
  };
}

/** A gate that holds callers until opened. */
export function gate(): { wait(): Promise<void>; open(): void; waiting(): number } {
  let waiting = 0;
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    async wait() {
      waiting += 1;
      await opened;
    },
    open: () => release(),
    waiting: () => waiting,
  };
}

/** Empties the graph: nodes, relationships, constraints, indexes. */
export { clearGraph as emptyGraph } from '../support/databases';

/** The batch with its checkpoint's plan fingerprint (what pg read puts in every batch). */
export function withPlan<T extends { batch: BatchInfo }>(batch: T, plan: string): T {
  return { ...batch, batch: { ...batch.batch, plan } };
}

/** Batches of a resumed reading: numbered from 0 again, run `run`, read after `after`, begun from the checkpoint of `from`. */
export function resumedReading<T extends { batch: BatchInfo }>(batches: T[], run: string, after: Array<string | null>, from: string | undefined): T[] {
  return batches.map((b, index) => ({ ...b, batch: { ...b.batch, run, index, origin: { after, ...(from ? { from } : {}) } } }));
}
