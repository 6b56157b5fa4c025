import { Pool, type PoolClient } from 'pg';
import { Pg2GraphError } from '../core/errors';
import { describePostgres, effectiveSslMode, postgresSecrets, resolveEnvironment, toPoolConfig, type PostgresSettings } from './postgres-settings';
import { translatePostgresError } from './postgres-errors';

export interface PostgresServerInfo {
  /** e.g. "PostgreSQL 18.4 on x86_64-pc-linux-gnu, ..." */
  version: string;
  database: string;
  user: string;
}

/**
 * One pg.Pool for one configured server, created on first use. Whoever creates the connection closes it;
 * users borrow clients and give them back.
 */
export class PostgresConnection {
  readonly target: string;
  private readonly settings: PostgresSettings;
  private readonly secrets: string[];
  private readonly sslMode: string;
  private pool: Pool | undefined;
  private closed = false;
  /** Idle-client errors (server restart, network drop) are kept here instead of crashing the process. */
  lastIdleError: Pg2GraphError | undefined;

  constructor(settings: PostgresSettings) {
    this.settings = settings;
    let resolved = settings;
    try {
      resolved = resolveEnvironment(settings);
    } catch {
      // reported with its setting name when the pool is first needed
    }
    this.target = describePostgres(resolved);
    this.secrets = postgresSecrets(resolved);
    this.sslMode = effectiveSslMode(resolved);
  }

  /** The shared pool; throws a typed error when the settings are invalid or the connection is closed. */
  getPool(): Pool {
    if (this.closed) throw new Pg2GraphError('PG_CLOSED', `Postgres connection to ${this.target} is closed`);
    if (!this.pool) {
      const pool = new Pool(toPoolConfig(this.settings));
      pool.on('error', (error) => {
        this.lastIdleError = this.translate(error);
      });
      // a backend terminated while its client is checked out or being closed (pg_terminate_backend, a dropped
      // database, a server restart) must never become an uncaught error: the query in progress fails by itself
      pool.on('connect', (client) => {
        client.on('error', (error) => {
          this.lastIdleError = this.translate(error);
        });
      });
      this.pool = pool;
    }
    return this.pool;
  }

  /** Borrows a client; the caller must release() it. Connection failures come back typed. */
  async connect(): Promise<PoolClient> {
    const pool = this.getPool();
    try {
      return await pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Runs a trivial query to prove that login, database and network all work. */
  async check(): Promise<PostgresServerInfo> {
    const client = await this.connect();
    try {
      const result = await client.query<{ version: string; database: string; user: string }>(
        'SELECT version() AS version, current_database() AS database, current_user AS "user"',
      );
      return result.rows[0];
    } catch (error) {
      throw this.translate(error);
    } finally {
      client.release();
    }
  }

  translate(error: unknown): Pg2GraphError {
    return translatePostgresError(error, this.target, this.secrets, this.sslMode);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.end();
  }
}
