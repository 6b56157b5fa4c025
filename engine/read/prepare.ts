/**
 * Turns a plan entry into the SQL that reads it, checked against the live catalog inside the run's snapshot:
 * keyset pagination on a unique NOT NULL key when the source has one (resumable), a server-side cursor
 * otherwise (views, SQL entries, row-content keys). Every identifier is quoted; values are parameters.
 */
import { escapeIdentifier as ident } from 'pg';
import type { ErrorCode } from '../core/error-codes';
import { Pg2GraphError } from '../core/errors';
import type { Phase } from '../core/records';
import { sameMembers } from '../core/sets';
import { relationInfo, type RelationInfo } from './catalog';
import { ROW_HASH_ALIAS, describeSource, entryColumns, sourceFromSql, sourceTable, type PlanEntry } from '../plan/entry-columns';
import { rowContentKeySql } from '../plan/row-content';
import type { ReadSnapshot } from './snapshot';

export interface PreparedRead {
  entry: PlanEntry;
  phase: Phase;
  /** "table public.orders" or "SQL query", for messages. */
  source: string;
  mode: 'keyset' | 'cursor';
  /** Result columns, as RowBatch.columns. */
  columns: string[];
  /** Keyset: key columns (ORDER BY / WHERE), their positions in `columns` and their cast types. */
  keyColumns: string[];
  keyIndexes: number[];
  keyCasts: string[];
  /** `SELECT <list> FROM <source> AS t` without any WHERE (a content key is numbered after the WHERE appended to it). */
  select: string;
  /** The entry's own row filter, when any. */
  where?: string;
  /** The planner's row estimate for the entry (undefined when it cannot tell). */
  estimate?: number;
}

const ALIAS = 't';

/** The key to page on: the entry's own key when it is unique and NOT NULL, else the table's, else none. */
function keysetColumns(relation: RelationInfo, preferred: string[]): string[] {
  if (relation.kind !== 'table' && relation.kind !== 'partitioned' && relation.kind !== 'materializedView') return [];
  const notNull = new Set(relation.columns.filter((c) => c.notNull).map((c) => c.name));
  const uniqueKeys = [...(relation.primaryKey ? [relation.primaryKey] : []), ...relation.uniqueNotNull];
  if (preferred.length && preferred.every((c) => notNull.has(c)) && uniqueKeys.some((k) => sameMembers(k, preferred))) return preferred;
  const first = uniqueKeys.find((k) => k.every((c) => notNull.has(c)));
  return first ?? [];
}

function entryError(code: ErrorCode, entry: PlanEntry, message: string, details: Record<string, unknown> = {}): Pg2GraphError {
  return new Pg2GraphError(code, `entry "${entry.id}" (${describeSource(entry)}): ${message}`, { entry: entry.id, ...details });
}

export async function prepareRead(snapshot: ReadSnapshot, entry: PlanEntry, phase: Phase): Promise<PreparedRead> {
  const wanted = entryColumns(entry);
  const table = sourceTable(entry);
  const from = sourceFromSql(entry);
  let available: string[];
  let keyColumns: string[] = [];
  const casts = new Map<string, string>();
  if (table) {
    const relation = await relationInfo(snapshot, table);
    if (!relation) throw entryError('READ_TABLE_NOT_FOUND', entry, 'the table does not exist (or is not visible to this user)', { table });
    available = relation.columns.map((c) => c.name);
    for (const c of relation.columns) casts.set(c.name, c.castType);
    if (!wanted.rowHash) keyColumns = keysetColumns(relation, wanted.keyColumns);
  } else {
    const sql = (entry as { sql?: string }).sql;
    if (!sql || !sql.trim()) throw entryError('READ_PLAN_INVALID', entry, 'has neither a table nor a SQL query');
    try {
      available = (await snapshot.queryText(`SELECT * FROM ${from} AS ${ALIAS} LIMIT 0`)).columns;
    } catch (error) {
      if (!isQueryError(error)) throw error;
      throw entryError('READ_SQL_INVALID', entry, `the query cannot run: ${(error as Error).message}`);
    }
  }
  for (const column of wanted.columns) {
    if (!available.includes(column)) {
      throw entryError('READ_COLUMN_NOT_FOUND', entry, `column "${column}" does not exist in the source (dropped or renamed?)`, { column });
    }
  }
  const base = wanted.allColumns ? [...wanted.columns, ...available.filter((c) => !wanted.columns.includes(c))] : wanted.columns;
  const columns = [...new Set([...base, ...keyColumns])];
  const list = columns.map((c) => `${ALIAS}.${ident(c)}`);
  if (wanted.rowHash) {
    list.push(`${rowContentKeySql(ALIAS)} AS ${ident(ROW_HASH_ALIAS)}`);
    columns.push(ROW_HASH_ALIAS);
  }
  const prepared: PreparedRead = {
    entry,
    phase,
    source: describeSource(entry),
    mode: keyColumns.length ? 'keyset' : 'cursor',
    columns,
    keyColumns,
    keyIndexes: keyColumns.map((c) => columns.indexOf(c)),
    keyCasts: keyColumns.map((c) => casts.get(c) as string),
    select: `SELECT ${list.join(', ') || 'NULL'} FROM ${from} AS ${ALIAS}`,
    where: entry.where?.trim() || undefined,
  };
  prepared.estimate = await estimateRows(snapshot, prepared, from);
  return prepared;
}

async function estimateRows(snapshot: ReadSnapshot, prepared: PreparedRead, from: string): Promise<number | undefined> {
  try {
    const filter = prepared.where ? ` WHERE (${prepared.where})` : '';
    const result = await snapshot.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${from} AS ${ALIAS}${filter}`,
    );
    const rows = result.rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'];
    return typeof rows === 'number' && rows >= 0 ? Math.round(rows) : undefined;
  } catch (error) {
    if (!isQueryError(error)) throw error;
    throw entryError('READ_SQL_INVALID', prepared.entry, `the entry's query cannot run: ${(error as Error).message}`);
  }
}

/** Errors in the query itself (syntax, unknown names, bad casts), as opposed to connection trouble. */
function isQueryError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(42|22)/.test(code);
}

/** Keyset page: rows after `after` (or from the start), in key order. */
export function keysetQuery(prepared: PreparedRead, batchSize: number, after: boolean): string {
  const keys = prepared.keyColumns.map((c) => `${ALIAS}.${ident(c)}`);
  const conditions: string[] = [];
  if (prepared.where) conditions.push(`(${prepared.where})`);
  if (after) {
    const params = prepared.keyCasts.map((cast, i) => `$${i + 1}::${cast}`);
    conditions.push(keys.length === 1 ? `${keys[0]} > ${params[0]}` : `(${keys.join(', ')}) > (${params.join(', ')})`);
  }
  const filter = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `${prepared.select}${filter} ORDER BY ${keys.join(', ')} LIMIT ${batchSize}`;
}

export function cursorQuery(prepared: PreparedRead): string {
  return `${prepared.select}${prepared.where ? ` WHERE (${prepared.where})` : ''}`;
}
