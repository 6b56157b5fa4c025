/**
 * Checkpoints in a Bolt graph (Neo4j, Memgraph, Neptune): one `Pg2GraphCheckpoint` node per plan and entry,
 * advanced inside each batch's own transaction (so a batch and its progress commit together or not at all)
 * and read or cleared with auto-commit statements. Values are scalars every dialect can hold.
 */
import { CHECKPOINT_LABEL } from '../cypher/reserved';
import neo4j from 'neo4j-driver';
import type { BatchInfo, SourceMark } from '../core/records';
import { labelText, quoteName } from '../cypher/names';
import { neptuneNodeId } from '../cypher/neptune-id';
import { advanceCheckpoint, toEntryCheckpoint, type CheckpointState, type EntryCheckpoint } from './checkpoint-state';
import type { CheckpointStore } from './checkpoint-store';

export { CHECKPOINT_LABEL };
/** The checkpoint's identity; the writer makes it unique like any node key. */
export const CHECKPOINT_KEY = { label: CHECKPOINT_LABEL, key: ['plan', 'entry'] };

/** Runs one auto-commit statement and returns its records as objects. */
export type CypherRunner = (text: string, params: Record<string, unknown>, mode: 'READ' | 'WRITE') => Promise<Array<Record<string, unknown>>>;

/** What advance() needs of an open transaction (the neo4j driver's Transaction has it). */
export interface StatementRunner {
  run(text: string, params: Record<string, unknown>): Promise<{ records: Array<{ toObject(): Record<string, unknown> }> }>;
}

export interface CheckpointStatements {
  /** Creates the entry's checkpoint if needed, write-locks it, and returns what is stored. */
  lock: string;
  save: string;
  readAll: string;
  clear: string;
  clearEntries: string;
}

const ID = '~id';

/** The checkpoint statements of a dialect: keyed by `~id` (Neptune) or by plan and entry. */
export function checkpointStatements(keyedById: boolean): CheckpointStatements {
  const label = labelText([CHECKPOINT_LABEL]);
  const q = quoteName;
  const identity = keyedById ? `{${q(ID)}: $id}` : `{${q('plan')}: $plan, ${q('entry')}: $entry}`;
  const onCreate = [
    ...(keyedById ? [`c.${q('plan')} = $plan`, `c.${q('entry')} = $entry`] : []),
    `c.${q('batches')} = 0`,
    `c.${q('pending')} = '[]'`,
    `c.${q('complete')} = false`,
  ];
  const fields = ['owner', 'batches', 'lastKey', 'pending', 'lastIndex', 'complete', 'source'];
  const stored = fields.map((f) => `c.${q(f)} AS ${f}`).join(', ');
  const byPlan = `MATCH (c${label}) WHERE c.${q('plan')} = $plan`;
  return {
    lock: [
      `MERGE (c${label} ${identity})`,
      `ON CREATE SET ${onCreate.join(', ')}`,
      // the SET takes the write lock before the values are read, so concurrent batches never lose an update
      `SET c.${q('updated')} = $updated`,
      `RETURN ${stored}`,
    ].join('\n'),
    save: [`MATCH (c${label} ${identity})`, `SET ${fields.map((f) => `c.${q(f)} = $${f}`).join(', ')}`].join('\n'),
    readAll: `${byPlan} RETURN c.${q('entry')} AS entry, ${stored}`,
    clear: `${byPlan} DELETE c`,
    clearEntries: `${byPlan} AND c.${q('entry')} IN $entries DELETE c`,
  };
}

function numberOf(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = neo4j.isInt(value) ? value.toNumber() : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A stored mark, or undefined when absent or not one (then the entry counts as changed on resume). */
export function decodeMark(text: unknown): SourceMark | undefined {
  const mark = parseJson<unknown>(text, null) as Partial<SourceMark> | null;
  if (!mark || typeof mark !== 'object') return undefined;
  if (typeof mark.xmin !== 'string' || !/^[0-9]{1,20}$/.test(mark.xmin)) return undefined;
  if (typeof mark.rows !== 'number' || !Number.isSafeInteger(mark.rows) || mark.rows < 0) return undefined;
  return { xmin: mark.xmin, rows: mark.rows };
}

export function decodeCheckpoint(stored: Record<string, unknown>): CheckpointState {
  const lastKey = parseJson<Array<string | null> | null>(stored.lastKey, null);
  const lastIndex = numberOf(stored.lastIndex);
  const mark = decodeMark(stored.source);
  return {
    ...(typeof stored.owner === 'string' ? { owner: stored.owner } : {}),
    ...(mark ? { mark } : {}),
    batches: numberOf(stored.batches) ?? 0,
    ...(lastKey ? { lastKey } : {}),
    pending: parseJson<Array<[number, Array<string | null> | null]>>(stored.pending, []),
    ...(lastIndex === undefined ? {} : { lastIndex }),
  };
}

export function encodeCheckpoint(state: CheckpointState, complete: boolean): Record<string, unknown> {
  return {
    owner: state.owner ?? null,
    batches: neo4j.int(state.batches),
    lastKey: state.lastKey ? JSON.stringify(state.lastKey) : null,
    pending: JSON.stringify(state.pending),
    lastIndex: state.lastIndex === undefined ? null : neo4j.int(state.lastIndex),
    complete,
    source: state.mark ? JSON.stringify({ xmin: state.mark.xmin, rows: state.mark.rows }) : null,
  };
}

export class BoltCheckpoints implements CheckpointStore {
  private readonly text: CheckpointStatements;

  constructor(
    private readonly runner: CypherRunner,
    private readonly keyedById: boolean,
  ) {
    this.text = checkpointStatements(keyedById);
  }

  async read(planKey: string): Promise<Map<string, EntryCheckpoint>> {
    const rows = await this.runner(this.text.readAll, { plan: planKey }, 'READ');
    const result = new Map<string, EntryCheckpoint>();
    for (const row of rows) result.set(String(row.entry), toEntryCheckpoint(String(row.entry), decodeCheckpoint(row)));
    return result;
  }

  async clear(planKey: string, entries?: readonly string[]): Promise<void> {
    if (entries) await this.runner(this.text.clearEntries, { plan: planKey, entries: [...entries] }, 'WRITE');
    else await this.runner(this.text.clear, { plan: planKey }, 'WRITE');
  }

  /**
   * Inside the batch's transaction, last (so the lock is held briefly): locks the entry's checkpoint and
   * advances it by the batch. The batch's BatchInfo.plan names the plan.
   */
  async advance(tx: StatementRunner, planKey: string, batch: BatchInfo): Promise<EntryCheckpoint> {
    const identity = this.identity(planKey, batch.entry);
    const locked = await tx.run(this.text.lock, { ...identity, updated: new Date().toISOString() });
    const state = decodeCheckpoint(locked.records[0]?.toObject() ?? {});
    const next = advanceCheckpoint(state, batch);
    const checkpoint = toEntryCheckpoint(batch.entry, next);
    await tx.run(this.text.save, { ...identity, ...encodeCheckpoint(next, checkpoint.complete) });
    return checkpoint;
  }

  private identity(planKey: string, entry: string): Record<string, string> {
    return this.keyedById ? { id: neptuneNodeId(CHECKPOINT_LABEL, [planKey, entry]), plan: planKey, entry } : { plan: planKey, entry };
  }
}
