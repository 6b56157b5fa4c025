/**
 * The checkpoint of one plan entry, as stored in the target: the longest run of consecutive committed batches
 * (counted from batch 0) and the last key of that run, plus the batches committed beyond a gap (concurrent
 * batches may commit out of order). Pure logic: the transaction that writes a batch advances it.
 */
import neo4j from 'neo4j-driver';
import type { EntryCheckpoint } from './target';

export type StoredKey = Array<string | null>;

export interface CheckpointState {
  /** Batches 0..batches-1 are committed. */
  batches: number;
  lastKey?: StoredKey;
  /** Committed batches after a gap: [index, lastKey]. */
  pending: Array<[number, StoredKey | null]>;
  /** Index of the entry's last batch, once it was committed. */
  lastIndex?: number;
}

export interface CommittedBatch {
  index: number;
  lastKey?: StoredKey;
  last: boolean;
}

export const EMPTY_CHECKPOINT: CheckpointState = { batches: 0, pending: [] };

/** The state after one more committed batch; a batch below the consecutive run (a replay) changes nothing. */
export function advanceCheckpoint(state: CheckpointState, batch: CommittedBatch): CheckpointState {
  const lastIndex = batch.last ? batch.index : state.lastIndex;
  if (batch.index < state.batches) return { ...state, lastIndex };
  const pending = new Map<number, StoredKey | null>(state.pending);
  pending.set(batch.index, batch.lastKey ?? null);
  let { batches, lastKey } = state;
  while (pending.has(batches)) {
    const key = pending.get(batches);
    pending.delete(batches);
    lastKey = key ?? undefined;
    batches += 1;
  }
  const rest = [...pending.entries()].sort((a, b) => a[0] - b[0]);
  return { batches, lastKey, pending: rest, lastIndex };
}

export function isComplete(state: CheckpointState): boolean {
  return state.lastIndex !== undefined && state.batches > state.lastIndex;
}

export function toEntryCheckpoint(entry: string, state: CheckpointState): EntryCheckpoint {
  return { entry, batches: state.batches, lastKey: state.lastKey, complete: isComplete(state) };
}

/** Property values to store (scalars only, so every dialect can hold them: keys as JSON text, counts as Integer). */
export function encodeCheckpoint(state: CheckpointState): Record<string, unknown> {
  return {
    batches: neo4j.int(state.batches),
    lastKey: state.lastKey ? JSON.stringify(state.lastKey) : null,
    pending: JSON.stringify(state.pending),
    lastIndex: state.lastIndex === undefined ? null : neo4j.int(state.lastIndex),
    complete: isComplete(state),
  };
}

function numberOf(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'object' && value !== null && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : Number(value);
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

export function decodeCheckpoint(stored: { batches?: unknown; lastKey?: unknown; pending?: unknown; lastIndex?: unknown }): CheckpointState {
  const lastKey = parseJson<StoredKey | null>(stored.lastKey, null);
  return {
    batches: numberOf(stored.batches) ?? 0,
    lastKey: lastKey ?? undefined,
    pending: parseJson<Array<[number, StoredKey | null]>>(stored.pending, []),
    lastIndex: numberOf(stored.lastIndex),
  };
}
