/**
 * What flows between the stages (see README, Nodes; Reading and shaping): raw row batches from the reader, node and relationship
 * record batches from shaping, and acknowledgements from the writer back to the reader. Batches, never one
 * message per row; rows are positional lists (they encode about twice as fast as objects in the driver).
 */

export type Phase = 'nodes' | 'relationships';

/** Key column values of a row as Postgres prints them (keyset reads). */
export type RowKey = Array<string | null>;

/**
 * What an entry's source table looked like in the snapshot of the reading that wrote it (README, Resuming a run):
 * the snapshot's xmin (a 64-bit transaction id as decimal text: every row version written by a transaction that
 * was not finished then has a transaction id at least this high) and the table's row count. A resume compares it
 * with its own snapshot to tell whether the entry changed since.
 */
export interface SourceMark {
  xmin: string;
  rows: number;
}

/** Where a batch sits in a run; travels unchanged from reader to writer and back in the acknowledgement. */
export interface BatchInfo {
  /** Run id: one read of one plan. */
  run: string;
  /** 1-based sequence number of the batch in the run (all entries, both phases). */
  seq: number;
  phase: Phase;
  /** Plan entry id (node entry or relationship entry). */
  entry: string;
  /** Plan fingerprint (planFingerprint): the entry's checkpoint is kept under it. */
  plan?: string;
  /** 0-based batch index within this reading of the entry (a resumed entry counts from 0 again). */
  index: number;
  /** Source rows read into this batch. */
  rows: number;
  /** Keyset bounds of the batch (key column values as Postgres prints them); absent for cursor reads. */
  firstKey?: RowKey;
  lastKey?: RowKey;
  /** True on the entry's last batch. */
  last: boolean;
  /**
   * Where this reading of the entry began: `after` the key it resumed after (absent: the entry's start), and
   * `from` the run that owned the entry's progress when the reading began (the checkpoint it found, or the
   * stopped run whose acknowledgements gave the key). Lets a checkpoint follow the new reading, and no other,
   * without ever claiming more than `after`.
   */
  origin?: { after?: RowKey; from?: string };
  /** The entry's source as this reading's snapshot saw it; absent for SQL entries and views (no cheap check). */
  mark?: SourceMark;
}

/** Rows as Postgres prints them (text; NULL as null), in `columns` order. */
export interface RowBatch {
  kind: 'rows';
  columns: string[];
  rows: Array<Array<string | null>>;
  batch: BatchInfo;
}

/**
 * A source row left out of its batch because a value in it cannot become a graph value under its rule (or its
 * key is NULL): reported, counted and listed by verification instead of stopping the run (onInvalid "reject").
 */
export interface RowReject {
  entry: string;
  /** The row's key as Postgres printed it, as JSON text: `["7"]` for a node entry, `{"from":[..],"to":[..]}` for a relationship entry. */
  key: string;
  /** The source column (or `computed <name>`) whose value was refused. */
  column: string;
  /** The refused value's text as Postgres printed it (cut at 200 characters); absent for a NULL key. */
  value?: string;
  /** What is wrong, in words ("array with NULL elements (nullElements policy is "error"; ...)"). */
  reason: string;
}

/** What shaping does with a row whose value its rule cannot hold: leave it out and report it, or fail the batch. */
export type OnInvalid = 'reject' | 'fail';

/** Node records of one entry (one label set, one key): one `UNWIND $rows` per batch. */
export interface NodeBatch {
  kind: 'nodes';
  labels: string[];
  /** Key property names: the first key.length columns of every row. */
  key: string[];
  /** Property names, key first; rows are positional; null means the property is absent. */
  columns: string[];
  rows: unknown[][];
  /** Rows of this batch left out because a value could not be held (absent when none). */
  rejects?: RowReject[];
  batch: BatchInfo;
}

export interface RelationshipEndRef {
  labels: string[];
  /** Properties matched on this end (the end's key, or the unique property an FK references). */
  match: string[];
}

/** Relationship records of one entry (one type): rows are [from match..., to match..., properties...]. */
export interface RelationshipBatch {
  kind: 'relationships';
  type: string;
  from: RelationshipEndRef;
  to: RelationshipEndRef;
  columns: string[];
  rows: unknown[][];
  /** Source rows of this batch that produced no relationship because a match column was NULL. */
  skippedNullMatch: number;
  /** Rows of this batch left out because a value could not be held (absent when none). */
  rejects?: RowReject[];
  batch: BatchInfo;
}

export type RecordBatch = NodeBatch | RelationshipBatch;

/**
 * What a write did, named for what it counts: a MERGE that finds its node sets every property again, changed or
 * not, so a re-run that changes nothing still matches and writes; verify tells whether the graph differs.
 */
export interface WriteStats {
  nodesCreated: number;
  /** MERGE: nodes that were there already (their properties set again to the row's values). */
  nodesMatched: number;
  relationshipsCreated: number;
  /** Property values the statements wrote (Neo4j's propertiesSet counter), also those that stayed the same. */
  propertiesWritten: number;
  /** Relationship rows whose start or end node was not found. */
  missingEnds: number;
  retries: number;
}

/**
 * The acknowledgement a writer (or anything else) sends back to the reader's input as `msg.ack`.
 * `ok: false` stops the run; the reader reports the entry and key range of the failed batch.
 */
export interface Acknowledgement {
  run: string;
  seq: number;
  entry?: string;
  ok: boolean;
  error?: { code: string; message: string };
  stats?: Partial<WriteStats>;
  /** Relationship batches: source rows that made no relationship because a match column was NULL (the shaper's count). */
  skippedNullMatch?: number;
  /** Source rows of the batch the shaper rejected (RecordBatch.rejects): counted, never written. */
  rejected?: number;
}

/**
 * Control messages of a run (`msg.control`), sent by the reader on the outputs that carry batches and
 * acknowledged like batches: `runStart` (with `msg.plan`, once per run) lets a writer prepare for the plan;
 * `runEnd` says the reader has seen every batch of the run acknowledged, so the run is complete and its
 * checkpoints can go. The reader decides that a run is complete; nobody infers it.
 */
export interface RunControl {
  kind: 'runStart' | 'runEnd';
  run: string;
  seq: number;
  /** Plan fingerprint. */
  plan: string;
  phase: Phase;
  /** runEnd: the entries the run covered (finished now or earlier). */
  entries?: string[];
}
