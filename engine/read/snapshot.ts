/**
 * One consistent view of the database for a whole run: a REPEATABLE READ READ ONLY transaction whose
 * snapshot is exported, so extra connections can join it (SET TRANSACTION SNAPSHOT) and see exactly the
 * same rows. The session settings that shape value text are pinned here (SET LOCAL: they end with the
 * transaction and never leak into the shared pool).
 */
import type { PoolClient, QueryResult } from 'pg';
import { escapeLiteral } from 'pg';
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError } from '../core/errors';
import type { Queryable } from './catalog';

/** Every value is fetched as the text Postgres prints, under these settings (the value rules parse it). */
export const VALUE_TEXT_SETTINGS: ReadonlyArray<[string, string]> = [
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'iso_8601'],
  ['TimeZone', 'UTC'],
  ['extra_float_digits', '3'],
  ['bytea_output', 'hex'],
];

const SETTINGS_SQL = VALUE_TEXT_SETTINGS.map(([name, value]) => `SET LOCAL ${name} = ${escapeLiteral(value)}`).join('; ');
const TEXT_ONLY = { getTypeParser: () => (value: string) => value };

export type TextRow = Array<string | null>;

export class ReadSnapshot implements Queryable {
  /** The exported snapshot id other connections import. */
  readonly id: string;
  private client: PoolClient | undefined;
  private readonly connection: PostgresConnection;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort: () => void;
  private inFlight = 0;
  /** A connection error that arrived while no query was running (e.g. the backend was terminated). */
  private broken: Error | undefined;
  private readonly onClientError: (error: Error) => void;

  private constructor(connection: PostgresConnection, client: PoolClient, id: string, signal: AbortSignal | undefined) {
    this.connection = connection;
    this.client = client;
    this.id = id;
    this.signal = signal;
    // an in-flight query cannot be interrupted politely: dropping the connection ends it (and the transaction)
    this.onAbort = () => this.destroy();
    signal?.addEventListener('abort', this.onAbort, { once: true });
    // a checked-out client has no error listener of the pool's: without one, a terminated backend would
    // crash the process while the run waits for acknowledgements
    this.onClientError = (error) => {
      this.broken ??= error;
    };
    client.on('error', this.onClientError);
  }

  /** Opens the run's transaction on a pooled connection and exports its snapshot. */
  static async open(connection: PostgresConnection, signal?: AbortSignal): Promise<ReadSnapshot> {
    return ReadSnapshot.begin(connection, signal, undefined);
  }

  /** Another connection in the same snapshot (for reading entries in parallel). */
  async join(): Promise<ReadSnapshot> {
    return ReadSnapshot.begin(this.connection, this.signal, this.id);
  }

  private static async begin(connection: PostgresConnection, signal: AbortSignal | undefined, importId: string | undefined): Promise<ReadSnapshot> {
    if (signal?.aborted) throw cancelled();
    const client = await connection.connect();
    try {
      const imported = importId ? `; SET TRANSACTION SNAPSHOT ${escapeLiteral(importId)}` : '';
      const exported = importId ? '' : '; SELECT pg_catalog.pg_export_snapshot() AS id';
      // several statements in one query answer with one result each (pg's types know only one)
      const results = (await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY${imported}; ${SETTINGS_SQL}${exported}`)) as unknown as
        QueryResult<{ id: string }> | Array<QueryResult<{ id: string }>>;
      const last = Array.isArray(results) ? results[results.length - 1] : results;
      const id = importId ?? String(last.rows[0].id);
      const snapshot = new ReadSnapshot(connection, client, id, signal);
      if (signal?.aborted) {
        snapshot.destroy();
        throw cancelled();
      }
      return snapshot;
    } catch (error) {
      client.release(true);
      throw connection.translate(error);
    }
  }

  /** A typed error naming the server (never the password) for anything a query threw. */
  translate(error: unknown): Pg2GraphError {
    return this.connection.translate(error);
  }

  get open(): boolean {
    return this.client !== undefined;
  }

  private active(): PoolClient {
    if (this.signal?.aborted) throw cancelled();
    if (this.broken) throw this.broken;
    if (!this.client) throw new Pg2GraphError('READ_CLOSED', 'the read snapshot is closed');
    return this.client;
  }

  /** Rows as positional lists of the text Postgres prints (NULL as null); fields name the columns. */
  async queryText(text: string, values?: unknown[]): Promise<{ columns: string[]; typeOids: number[]; rows: TextRow[] }> {
    const client = this.active();
    this.inFlight++;
    try {
      const result = await client.query<TextRow>({ text, values, rowMode: 'array', types: TEXT_ONLY });
      return { columns: result.fields.map((f) => f.name), typeOids: result.fields.map((f) => f.dataTypeID), rows: result.rows };
    } catch (error) {
      throw this.signal?.aborted ? cancelled() : (this.broken ?? error);
    } finally {
      this.inFlight--;
    }
  }

  /** Catalog queries: rows as objects with pg's usual parsing. */
  async query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }> {
    const client = this.active();
    this.inFlight++;
    try {
      return await client.query<R>(text, values);
    } catch (error) {
      throw this.signal?.aborted ? cancelled() : (this.broken ?? error);
    } finally {
      this.inFlight--;
    }
  }

  /** Ends the transaction (read only: nothing to commit) and gives the connection back to the pool. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.broken) {
      client.removeListener('error', this.onClientError);
      client.release(true);
      return;
    }
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch {
      // a broken connection is not returned to the pool
      client.release(true);
    } finally {
      client.removeListener('error', this.onClientError);
    }
  }

  /** Drops the connection at once (cancellation, or after a failure that may have left it mid-query). */
  destroy(): void {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
    const pid = (client as unknown as { processID?: number }).processID;
    client.release(true);
    // errors of the closing socket are expected now
    client.removeListener('error', this.onClientError);
    client.on('error', () => undefined);
    // a backend busy with a long query only notices the closed socket when it next writes: cancel the query
    if (this.inFlight > 0 && pid) {
      try {
        this.connection
          .getPool()
          .query('SELECT pg_catalog.pg_cancel_backend($1)', [pid])
          .catch(() => undefined);
      } catch {
        // the pool is closing: its connections end with it
      }
    }
  }
}

export function cancelled(): Pg2GraphError {
  return new Pg2GraphError('READ_CANCELLED', 'the read was cancelled');
}
