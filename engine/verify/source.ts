/**
 * The source side of verifying one entry, inside the run's read-only snapshot: the rows the graph must hold
 * (one per node key, one per relationship pair: repeated pairs are one), read
 * in a stable order through a cursor; their counts; source rows looked up by graph identities (to tell an
 * unexpected graph record from an expected one); and aggregates over the same rows. Identifiers are quoted,
 * values are parameters.
 */
import { escapeIdentifier as ident } from 'pg';
import { Pg2GraphError } from '../core/errors';
import type { RowBatch } from '../core/records';
import { sameMembers } from '../core/sets';
import { ROW_HASH_ALIAS, isRelationshipEntry, keyColumnsOf, sourceFromSql, type PlanEntry } from '../plan/entry-columns';
import { rowContentHashOf, rowContentHashSql, rowContentKeySql } from '../plan/row-content';
import type { PreparedRead } from '../read/prepare';
import type { ReadSnapshot, TextRow } from '../read/snapshot';

const ALIAS = 't';
let cursorCounter = 0;

/** Errors in a query's data (a value Postgres cannot read as the column's type), as opposed to connection trouble. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '42804' || code === '42883');
}

function columnExpression(column: string): string {
  return column === ROW_HASH_ALIAS ? rowContentKeySql(ALIAS) : `${ALIAS}.${ident(column)}`;
}

/**
 * A WHERE filter on an identity column and the parameter value for it: a content key is a window result, so it
 * is looked up by its md5 (every twin of the row passes, and the window numbers them as the full read does).
 */
function identityFilter(column: string, value: string | null): { expression: string; value: string | null } {
  if (column !== ROW_HASH_ALIAS) return { expression: columnExpression(column), value };
  return { expression: rowContentHashSql(ALIAS), value: value === null ? null : rowContentHashOf(value) };
}

export interface SourceCounts {
  /** Records the graph must hold: distinct keys (nodes) or distinct pairs with no NULL match column (relationships). */
  expected: number;
  /** Source rows (passing the entry's filter). */
  rows: number;
  /** Relationship entries: rows with a NULL match column. */
  nullMatch: number;
}

export class EntrySource {
  readonly entry: PlanEntry;
  readonly prepared: PreparedRead;
  /** Columns (of prepared.columns) that identify a graph record, in record order. */
  readonly identity: string[];
  /** Whether several source rows can make one graph record (then the stream keeps one row per identity). */
  readonly distinct: boolean;
  private readonly snapshot: ReadSnapshot;
  private readonly from: string;
  private readonly conditions: string[];
  private readonly list: string;

  constructor(snapshot: ReadSnapshot, prepared: PreparedRead) {
    this.snapshot = snapshot;
    this.prepared = prepared;
    const entry = prepared.entry;
    this.entry = entry;
    this.from = sourceFromSql(entry);
    this.list = prepared.columns.map((c) => (c === ROW_HASH_ALIAS ? `${columnExpression(c)} AS ${ident(c)}` : columnExpression(c))).join(', ');
    this.conditions = prepared.where ? [`(${prepared.where})`] : [];
    if (isRelationshipEntry(entry)) {
      this.identity = [...Object.values(entry.from.match), ...Object.values(entry.to.match)];
      // a row with a NULL match column makes no relationship
      for (const column of new Set(this.identity)) if (column !== ROW_HASH_ALIAS) this.conditions.push(`${columnExpression(column)} IS NOT NULL`);
      const unique = prepared.keyColumns;
      this.distinct = !(unique.length > 0 && unique.every((c) => this.identity.includes(c)));
    } else {
      this.identity = entry.keySource === 'rowContent' ? [ROW_HASH_ALIAS] : keyColumnsOf(entry);
      this.distinct = !(prepared.mode === 'keyset' && sameMembers(prepared.keyColumns, this.identity));
    }
  }

  private ordinals(columns: readonly string[]): string {
    return [...new Set(columns)].map((c) => String(this.prepared.columns.indexOf(c) + 1)).join(', ');
  }

  private where(extra: string[] = []): string {
    const all = [...this.conditions, ...extra];
    return all.length ? ` WHERE ${all.join(' AND ')}` : '';
  }

  /** The expected records' rows: one per identity, unordered. */
  private rowsQuery(): string {
    const distinct = this.distinct ? `DISTINCT ON (${this.ordinals(this.identity)}) ` : '';
    return `SELECT ${distinct}${this.list} FROM ${this.from} AS ${ALIAS}${this.where()}`;
  }

  /** ...in a stable order: the identity, or the table's unique key when it is part of the identity. */
  private orderedQuery(): string {
    const order = !this.distinct && isRelationshipEntry(this.entry) ? this.prepared.keyColumns : this.identity;
    return `${this.rowsQuery()} ORDER BY ${this.ordinals(order)}`;
  }

  async counts(): Promise<SourceCounts> {
    const identity = new Set(this.identity);
    const notNull = [...identity].filter((c) => c !== ROW_HASH_ALIAS).map((c) => `${columnExpression(c)} IS NOT NULL`);
    const entryFilter = this.prepared.where ? ` WHERE (${this.prepared.where})` : '';
    const matched = isRelationshipEntry(this.entry) && notNull.length ? `count(*) FILTER (WHERE ${notNull.join(' AND ')})` : 'count(*)';
    const raw = await this.snapshot.queryText(`SELECT count(*)::text, ${matched}::text FROM ${this.from} AS ${ALIAS}${entryFilter}`);
    const rows = Number(raw.rows[0][0]);
    const nullMatch = rows - Number(raw.rows[0][1]);
    if (!this.distinct) return { expected: rows - nullMatch, rows, nullMatch };
    const distinct = await this.snapshot.queryText(`SELECT count(*)::text FROM (${this.rowsQuery()}) AS s`);
    return { expected: Number(distinct.rows[0][0]), rows, nullMatch };
  }

  /**
   * Up to `limit` identities that several source rows share (a node entry whose key is not unique in the
   * source), in identity order: one row each and how many rows have it.
   */
  async sharedIdentities(limit: number): Promise<{ rows: RowBatch; counts: number[] }> {
    const identity = [...new Set(this.identity)].map((c) => `s.${ident(c)}`).join(', ');
    const count = ident('$rows');
    const plain = `SELECT ${this.list} FROM ${this.from} AS ${ALIAS}${this.where()}`;
    const each = `SELECT DISTINCT ON (${identity}) s.*, count(*) OVER (PARTITION BY ${identity}) AS ${count} FROM (${plain}) AS s`;
    const result = await this.snapshot.queryText(
      `SELECT * FROM (${each}) AS s WHERE s.${count} > 1 ORDER BY ${identity} LIMIT ${Math.max(1, Math.trunc(limit))}`,
    );
    return {
      rows: this.rowBatch(
        result.rows.map((row) => row.slice(0, -1)),
        0,
        true,
      ),
      counts: result.rows.map((row) => Number(row[row.length - 1])),
    };
  }

  private rowBatch(rows: TextRow[], index: number, last: boolean): RowBatch {
    return {
      kind: 'rows',
      columns: this.prepared.columns,
      rows,
      batch: { run: 'verify', seq: index + 1, phase: this.prepared.phase, entry: this.entry.id, index, rows: rows.length, last },
    };
  }

  /** Every expected row, `batchSize` at a time, the next page read while the caller works on this one. */
  async *stream(batchSize: number): AsyncGenerator<RowBatch> {
    const cursor = ident(`pg2graph_verify_${++cursorCounter}`);
    await this.snapshot.queryText(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${this.orderedQuery()}`);
    const fetch = () => this.snapshot.queryText(`FETCH FORWARD ${batchSize} FROM ${cursor}`).then((r) => r.rows);
    let next: Promise<TextRow[]> | undefined = fetch();
    try {
      for (let index = 0; next; index++) {
        const rows: TextRow[] = await next;
        next = rows.length === batchSize ? fetch() : undefined;
        // a read-ahead the caller never waits for must not become an unhandled rejection
        next?.catch(() => undefined);
        yield this.rowBatch(rows, index, next === undefined);
      }
    } finally {
      if (next) await next.catch(() => undefined);
      if (this.snapshot.open) await this.snapshot.queryText(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  /**
   * Source rows whose identity is one of these (Postgres input text per identity column; null matches
   * nothing). A superset filter only: the caller shapes the rows and compares exactly. An identity Postgres
   * cannot read as the column's type is in no row.
   */
  async rowsWithIdentity(identities: Array<Array<string | null>>): Promise<RowBatch> {
    if (!identities.length) return this.rowBatch([], 0, true);
    try {
      return this.rowBatch(await this.lookUp(identities), 0, true);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (identities.length === 1) return this.rowBatch([], 0, true);
      const rows: TextRow[] = [];
      for (const one of identities) rows.push(...(await this.rowsWithIdentity([one])).rows);
      return this.rowBatch(rows, 0, true);
    }
  }

  private async lookUp(identities: Array<Array<string | null>>): Promise<TextRow[]> {
    const filters = identities.map((identity) => this.identity.map((column, i) => identityFilter(column, identity[i])));
    let filter: string;
    let values: unknown[];
    if (this.identity.length === 1) {
      filter = `${filters[0][0].expression} = ANY($1)`;
      values = [filters.map((one) => one[0].value)];
    } else {
      values = [];
      filter = `(${filters
        .map(
          (one) =>
            `(${one
              .map(({ expression, value }) => {
                values.push(value);
                return `${expression} = $${values.length}`;
              })
              .join(' AND ')})`,
        )
        .join(' OR ')})`;
    }
    // a value the column's type cannot read fails the statement, and with it the transaction: keep it usable
    await this.snapshot.queryText('SAVEPOINT pg2graph_verify');
    try {
      const result = await this.snapshot.queryText(`SELECT ${this.list} FROM ${this.from} AS ${ALIAS}${this.where([filter])}`, values);
      await this.snapshot.queryText('RELEASE SAVEPOINT pg2graph_verify');
      return result.rows;
    } catch (error) {
      if (this.snapshot.open) await this.snapshot.queryText('ROLLBACK TO SAVEPOINT pg2graph_verify').catch(() => undefined);
      throw error;
    }
  }

  /** One aggregate over the expected rows; `expression` uses `s.<column>` (see column()). */
  async aggregate(expression: string): Promise<string | null> {
    const result = await this.snapshot.queryText(`SELECT (${expression})::text FROM (${this.rowsQuery()}) AS s`);
    return result.rows[0][0];
  }

  /** A source column inside aggregate(): checked to be one the entry reads. */
  column(name: string): string {
    if (!this.prepared.columns.includes(name) || name === ROW_HASH_ALIAS) {
      throw new Pg2GraphError('VERIFY_AGGREGATE_INVALID', `entry "${this.entry.id}" reads no column "${name}"`, { entry: this.entry.id, column: name });
    }
    return `s.${ident(name)}`;
  }
}
