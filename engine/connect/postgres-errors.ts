import { Pg2GraphError, messageOf } from '../core/errors';
import { redact } from './redact';

/** Node's codes for a certificate it would not accept (tls.connect) and for a failed handshake. */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

/**
 * Turns a pg / socket error met while connecting or querying into a typed error that names the server
 * (never the password). Already typed errors pass through unchanged.
 */
export function translatePostgresError(error: unknown, target: string, secrets: readonly string[], sslMode = 'disable'): Pg2GraphError {
  if (error instanceof Pg2GraphError) return error;
  const e = (error ?? {}) as { code?: string; message?: string };
  const message = redact(messageOf(error), secrets);
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  // a server error (with its SQLSTATE) may well mention a "certificate" table: only client-side failures count
  if (!sqlState && ((e.code && TLS_CODES.has(e.code)) || /does not support SSL|certificate|SSL routines/i.test(message))) {
    const hint = /does not support SSL/i.test(message)
      ? 'the server has TLS off: set sslMode to disable, or turn ssl on at the server'
      : e.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'the certificate does not name this host: connect by a name it holds, or use sslMode verify-ca'
        : "give the CA that signed the server's certificate (sslRootCert), or use sslMode require to skip the check";
    return new Pg2GraphError(
      'PG_TLS_FAILED',
      `Postgres at ${target} failed TLS (sslMode ${sslMode}): ${message}; ${hint}`,
      { target, sslMode, cause: e.code },
      error,
    );
  }
  if (sqlState === '28P01' || sqlState === '28000') {
    return new Pg2GraphError('PG_AUTH_FAILED', `Postgres at ${target} refused the login: ${message}`, { target, sqlState }, error);
  }
  if (sqlState === '3D000') {
    return new Pg2GraphError('PG_DATABASE_NOT_FOUND', `Postgres at ${target}: ${message}`, { target, sqlState }, error);
  }
  // SQLSTATE class 57P: the server is shutting down, crashed (a backend left after its postmaster died) or not
  // yet accepting connections: the server went away, whatever the socket did
  const serverGone = sqlState !== undefined && sqlState.startsWith('57P');
  if (serverGone || (e.code && UNREACHABLE_CODES.has(e.code)) || /timeout|terminated unexpectedly|Connection terminated/i.test(message)) {
    return new Pg2GraphError(
      'PG_UNREACHABLE',
      `Postgres at ${target} cannot be reached: ${message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`,
      { target, cause: e.code },
      error,
    );
  }
  return new Pg2GraphError('PG_ERROR', `Postgres at ${target}: ${message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`, { target, sqlState }, error);
}
