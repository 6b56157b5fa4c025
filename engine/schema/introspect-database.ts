import type { PoolClient } from 'pg';
import type { Pg2GraphError } from '../core/errors';
import { introspect, type IntrospectOptions } from './introspect';
import type { SchemaModel } from './model';

/** What introspection needs of a connection (PostgresConnection has it). */
export interface IntrospectConnection {
  connect(): Promise<PoolClient>;
  translate(error: unknown): Pg2GraphError;
}

/**
 * Introspects through a shared connection: one pooled client, one REPEATABLE READ READ ONLY transaction (so
 * every catalog query sees the same moment), errors translated to typed ones that name the server.
 */
export async function introspectDatabase(connection: IntrospectConnection, options: IntrospectOptions): Promise<SchemaModel> {
  const client = await connection.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const model = await introspect(client, options);
    await client.query('COMMIT');
    return model;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw connection.translate(error);
  } finally {
    client.release();
  }
}
