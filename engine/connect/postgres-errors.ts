import { Pg2GraphError, messageOf } from '../core/errors';
import { redact } from './redact';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

/**
 * Turns a pg / socket error met while connecting or querying into a typed error that names the server
 * (never the password). Already typed errors pass through unchanged.
 */
export function translatePostgresError(error: unknown, target: string, secrets: readonly string[]): Pg2GraphError {
  if (error instanceof Pg2GraphError) return error;
  const e = (error ?? {}) as { code?: string; message?: string };
  const message = redact(messageOf(error), secrets);
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  if (sqlState === '28P01' || sqlState === '28000') {
    return new Pg2GraphError('PG_AUTH_FAILED', `Postgres at ${target} refused the login: ${message}`, { target, sqlState }, error);
  }
  if (sqlState === '3D000') {
    return new Pg2GraphError('PG_DATABASE_NOT_FOUND', `Postgres at ${target}: ${message}`, { target, sqlState }, error);
  }
  if ((e.code && UNREACHABLE_CODES.has(e.code)) || /timeout|terminated unexpectedly|Connection terminated/i.test(message)) {
    return new Pg2GraphError('PG_UNREACHABLE', `Postgres at ${target} cannot be reached: ${message}`, { target, cause: e.code }, error);
  }
  return new Pg2GraphError('PG_ERROR', `Postgres at ${target}: ${message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`, { target, sqlState }, error);
}
