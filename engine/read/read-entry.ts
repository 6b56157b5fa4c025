/**
 * Streams one prepared entry as RowBatch objects of `batchSize` rows, inside the run's snapshot. Keyset
 * reads can start after a given key (resume); every batch says its first and last key. One batch is read
 * ahead so the last batch of an entry is known as such (`last: true`); an empty entry yields one empty batch.
 */
import { escapeIdentifier as ident } from 'pg';
import { Pg2GraphError } from '../core/errors';
import type { BatchInfo, RowBatch, RowKey, SourceMark } from '../core/records';
import { integerSetting } from '../core/settings';
import { cursorQuery, keysetQuery, type PreparedRead } from './prepare';
import type { ReadSnapshot, TextRow } from './snapshot';

export const MAX_BATCH_SIZE = 1_000_000;

export type { RowKey };

export interface ReadEntryOptions {
  run: string;
  batchSize: number;
  /** Keyset entries: start after this key (the lastKey of the last batch a previous run wrote). */
  resumeAfter?: RowKey;
  /** Run-wide batch numbering (1-based); a private counter when absent. */
  nextSeq?: () => number;
  /** Plan fingerprint, carried by every batch (the writer keeps the entry's checkpoint under it). */
  plan?: string;
  /** The run that owned the entry's progress when this reading began (it goes into every batch, see BatchInfo.origin). */
  resumedFrom?: string;
  /** What this reading's snapshot saw of the entry's source (source-mark.ts); every batch carries it. */
  mark?: SourceMark;
}

/** Checks a batch size setting: an integer from 1 to 1,000,000. */
export function checkBatchSize(value: unknown, setting = 'batchSize'): number {
  return integerSetting(value, { code: 'READ_BATCH_SIZE_INVALID', setting, min: 1, max: MAX_BATCH_SIZE });
}

export function keyText(key: RowKey | undefined): string {
  return JSON.stringify(key ?? null);
}

let cursorCounter = 0;

export async function* readEntry(snapshot: ReadSnapshot, prepared: PreparedRead, options: ReadEntryOptions): AsyncGenerator<RowBatch> {
  const batchSize = checkBatchSize(options.batchSize);
  const entry = prepared.entry.id;
  let seq = 0;
  const nextSeq = options.nextSeq ?? (() => ++seq);
  if (options.resumeAfter !== undefined) {
    if (prepared.mode !== 'keyset') {
      throw new Pg2GraphError(
        'READ_RESUME_INVALID',
        `entry "${entry}" (${prepared.source}) is read with a cursor (no unique NOT NULL key): it cannot resume after a key, only start again`,
        { entry },
      );
    }
    if (!Array.isArray(options.resumeAfter) || options.resumeAfter.length !== prepared.keyColumns.length) {
      throw new Pg2GraphError(
        'READ_RESUME_INVALID',
        `entry "${entry}": the resume key ${keyText(options.resumeAfter)} does not match its key columns (${prepared.keyColumns.join(', ')})`,
        { entry },
      );
    }
  }
  /** Key of the last row fetched (where the next keyset page starts). */
  let fetchedKey: RowKey | undefined = options.resumeAfter;
  /** Last key of the last batch handed out, for error messages. */
  let reachedKey: RowKey | undefined = options.resumeAfter;
  let rowsRead = 0;
  let cursor: string | undefined;
  const keyOf = (row: TextRow): RowKey => prepared.keyIndexes.map((i) => row[i]);

  const fetchPage = async (): Promise<TextRow[]> => {
    if (prepared.mode === 'keyset') {
      const after = fetchedKey !== undefined;
      const { rows } = await snapshot.queryText(keysetQuery(prepared, batchSize, after), after ? fetchedKey : undefined);
      if (rows.length) fetchedKey = keyOf(rows[rows.length - 1]);
      return rows;
    }
    if (!cursor) {
      cursor = `pg2graph_cursor_${++cursorCounter}`;
      await snapshot.queryText(`DECLARE ${ident(cursor)} NO SCROLL CURSOR FOR ${cursorQuery(prepared)}`);
    }
    return (await snapshot.queryText(`FETCH FORWARD ${batchSize} FROM ${ident(cursor)}`)).rows;
  };

  try {
    let current = await fetchPage();
    const origin: BatchInfo['origin'] =
      options.resumeAfter || options.resumedFrom
        ? { ...(options.resumeAfter ? { after: options.resumeAfter } : {}), ...(options.resumedFrom ? { from: options.resumedFrom } : {}) }
        : undefined;
    for (let index = 0; ; index++) {
      const next = current.length === batchSize ? await fetchPage() : [];
      const last = next.length === 0;
      const batch: RowBatch = {
        kind: 'rows',
        columns: prepared.columns,
        rows: current,
        batch: {
          run: options.run,
          ...(options.plan ? { plan: options.plan } : {}),
          seq: nextSeq(),
          phase: prepared.phase,
          entry,
          index,
          rows: current.length,
          last,
          ...(origin ? { origin } : {}),
          ...(options.mark ? { mark: options.mark } : {}),
        },
      };
      if (prepared.mode === 'keyset' && current.length) {
        batch.batch.firstKey = keyOf(current[0]);
        batch.batch.lastKey = keyOf(current[current.length - 1]);
      }
      rowsRead += current.length;
      reachedKey = batch.batch.lastKey ?? reachedKey;
      yield batch;
      if (last) break;
      current = next;
    }
    if (cursor && snapshot.open) await snapshot.queryText(`CLOSE ${ident(cursor)}`);
  } catch (error) {
    throw readFailure(snapshot, prepared, error, prepared.mode === 'keyset' ? reachedKey : undefined, rowsRead);
  }
}

function readFailure(snapshot: ReadSnapshot, prepared: PreparedRead, error: unknown, key: RowKey | undefined, rowsRead: number): Pg2GraphError {
  if (error instanceof Pg2GraphError && (error.code === 'READ_CANCELLED' || error.code.startsWith('READ_'))) {
    if (error.code === 'READ_CANCELLED') {
      return new Pg2GraphError('READ_CANCELLED', `reading entry "${prepared.entry.id}" was cancelled ${position(key, rowsRead)}`, {
        entry: prepared.entry.id,
        lastKey: key,
        rows: rowsRead,
      });
    }
    return error;
  }
  const cause = snapshot.translate(error);
  const sqlState = cause.details.sqlState as string | undefined;
  // the catalog can change under a running read (a later entry's table altered after the run began)
  const code = sqlState === '42703' ? 'READ_COLUMN_NOT_FOUND' : sqlState === '42P01' ? 'READ_TABLE_NOT_FOUND' : 'READ_FAILED';
  const hint = code === 'READ_FAILED' ? '' : ' (changed while the run was going?)';
  return new Pg2GraphError(
    code,
    `reading entry "${prepared.entry.id}" (${prepared.source}) failed ${position(key, rowsRead)}: ${cause.message}${hint}`,
    { entry: prepared.entry.id, lastKey: key, rows: rowsRead, cause: cause.code, sqlState },
    error,
  );
}

function position(key: RowKey | undefined, rowsRead: number): string {
  if (key) return `after key ${keyText(key)} (${rowsRead} rows read in this run)`;
  return rowsRead ? `after ${rowsRead} rows (no key: a cursor read starts again from the beginning)` : 'before its first row';
}
