import { Pg2GraphError, messageOf } from '../core/errors';
import { redact } from './redact';

/** The server's status code on a refused request (the client's ResponseError carries it). */
export function gremlinStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown; status?: { code?: unknown } })?.statusCode ?? (error as { status?: { code?: unknown } })?.status?.code;
  return typeof status === 'number' ? status : undefined;
}

/** Whether a failure may pass when the same request is sent again: a broken connection, a conflicting concurrent write. */
export function isTransientGremlinError(error: unknown): boolean {
  if (error instanceof Pg2GraphError) return error.code === 'GREMLIN_UNREACHABLE';
  const message = messageOf(error);
  // Neptune: ConcurrentModificationException (and a request that timed out waiting on a lock); JanusGraph: temporary locking failures
  return /ConcurrentModification|TemporaryLockingException|PermanentLockingException|ECONNRESET|EPIPE|socket hang up|Connection has been closed|closed by the server/i.test(
    message,
  );
}

/** Turns a client error into a typed error naming the server; already typed errors pass through. */
export function translateGremlinError(error: unknown, target: string, traversalSource: string, secrets: readonly string[]): Pg2GraphError {
  if (error instanceof Pg2GraphError) return error;
  const message = redact(messageOf(error), secrets);
  const status = gremlinStatusOf(error);
  const details = { target, gremlinStatus: status };
  if (status === 401 || status === 407 || /authenticat|unauthori[sz]ed|401/i.test(message)) {
    if (status === 401 || status === 407 || !/Server error/.test(message))
      return new Pg2GraphError('GREMLIN_AUTH_FAILED', `Gremlin server at ${target} refused the login: ${message}`, details, error);
  }
  if (
    status === 499 ||
    /traversal source \[\w+\] for alias|Could not alias \[\w+\] to \[\w+\]|not in the Graph or TraversalSource global bindings/i.test(message)
  ) {
    return new Pg2GraphError(
      'GREMLIN_TRAVERSAL_SOURCE_UNKNOWN',
      `Gremlin server at ${target} has no traversal source "${traversalSource}" (setting "traversalSource"): ${message}`,
      { ...details, setting: 'traversalSource' },
      error,
    );
  }
  if (/certificate|self[- ]signed|SSL routines|EPROTO|wrong version number|TLS/i.test(message)) {
    return new Pg2GraphError(
      'GREMLIN_TLS_FAILED',
      `Gremlin server at ${target} failed TLS: ${message}; wss:// trusts only certificates signed by a CA Node trusts (add yours with NODE_EXTRA_CA_CERTS), or set tls to "any"`,
      details,
      error,
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EPIPE|socket hang up|Connection has been closed|Unexpected server response|timed out/i.test(message)) {
    return new Pg2GraphError('GREMLIN_UNREACHABLE', `Gremlin server at ${target} cannot be reached: ${message}`, details, error);
  }
  return new Pg2GraphError('GREMLIN_ERROR', `Gremlin server at ${target}: ${message}${status ? ` (status ${status})` : ''}`, details, error);
}
