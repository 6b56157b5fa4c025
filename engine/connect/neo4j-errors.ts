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
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timed out|timeout/i.test(message)) {
    return new Pg2GraphError('NEO4J_UNREACHABLE', `Neo4j at ${target} cannot be reached: ${message}`, details, error);
  }
  return new Pg2GraphError('NEO4J_ERROR', `Neo4j at ${target}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`, details, error);
}
