import { Pg2GraphError, messageOf } from '../core/errors';
import { redact } from './redact';

/** Turns a driver error into a typed error naming the server; already typed errors pass through. */
export function translateNeo4jError(error: unknown, target: string, secrets: readonly string[]): Pg2GraphError {
  if (error instanceof Pg2GraphError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = redact(messageOf(error), secrets);
  const details = { target, neo4jCode: typeof code === 'string' ? code : undefined };
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new Pg2GraphError('NEO4J_AUTH_FAILED', `Neo4j at ${target} refused the login: ${message}`, details, error);
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new Pg2GraphError('NEO4J_DATABASE_NOT_FOUND', `Neo4j at ${target}: ${message}`, details, error);
  }
  // the driver says ServiceUnavailable for a refused certificate too: tell it apart, it needs another fix
  if (/certificate|self[- ]signed|SSL routines|EPROTO|wrong version number/i.test(message) && !/^Neo\./.test(String(code))) {
    const hint = /not trusted|self[- ]signed|unable to verify|unable to get/i.test(message)
      ? 'bolt+s and neo4j+s trust only certificates signed by a CA the system trusts (add yours with NODE_EXTRA_CA_CERTS), bolt+ssc and neo4j+ssc accept a self-signed one'
      : 'check that the server speaks TLS on that port and that the certificate names the host';
    return new Pg2GraphError('NEO4J_TLS_FAILED', `Neo4j at ${target} failed TLS: ${message}; ${hint}`, details, error);
  }
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timed out|timeout/i.test(message)) {
    // a server that requires TLS closes a plain Bolt connection without a word
    const hint = /closed by server/i.test(message) && /\b(bolt|neo4j):\/\//.test(target) ? '; if the server requires TLS, use bolt+s:// or bolt+ssc://' : '';
    return new Pg2GraphError('NEO4J_UNREACHABLE', `Neo4j at ${target} cannot be reached: ${message}${hint}`, details, error);
  }
  return new Pg2GraphError('NEO4J_ERROR', `Neo4j at ${target}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`, details, error);
}
