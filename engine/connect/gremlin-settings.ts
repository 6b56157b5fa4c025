/**
 * Settings of a Gremlin server connection (Apache TinkerPop: Gremlin Server, Neptune, JanusGraph, Cosmos DB; see
 * README.md, Gremlin): a `ws://` or `wss://` endpoint, the traversal source, an optional login. Checked by hand so
 * a bad setting gets a message naming it, never the client's own.
 */
import { Pg2GraphError } from '../core/errors';
import { hasSecretParameter, redactUri } from './redact';

/** verify: a `wss://` server's certificate must be signed by a CA Node trusts (NODE_EXTRA_CA_CERTS adds yours); any: any certificate. */
export type GremlinTls = 'verify' | 'any';

export interface GremlinSettings {
  /** `ws://host:port/gremlin` or `wss://…`. */
  url: string;
  /** The server's traversal source (default `g`). */
  traversalSource?: string;
  user?: string;
  password?: string;
  tls?: GremlinTls | (string & {});
  /** The WebSocket connect and check() as a whole: default 5000 (README.md, Connections). */
  connectTimeoutMs?: number;
}

export const DEFAULT_TRAVERSAL_SOURCE = 'g';
export const DEFAULT_GREMLIN_CONNECT_TIMEOUT_MS = 5000;
const TLS_MODES: readonly string[] = ['verify', 'any'];

function invalid(setting: string, problem: string): Pg2GraphError {
  return new Pg2GraphError('GREMLIN_SETTING_INVALID', `Gremlin setting "${setting}" ${problem}`, { setting });
}

/** The endpoint, checked: scheme ws or wss, a host, no user info or secret in it. */
export function checkGremlinUrl(text: string): URL {
  const trimmed = (text ?? '').trim();
  if (!trimmed) throw invalid('url', 'is empty');
  const variable = /^\$\{(\w+)\}$/.exec(trimmed);
  if (variable) throw invalid('url', `names environment variable ${variable[1]}, which is not set in Node-RED's environment`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid('url', `is not a valid URL: "${redactUri(trimmed)}"`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'ws' && scheme !== 'wss') throw invalid('url', `has scheme "${scheme}"; expected ws or wss (e.g. ws://localhost:8182/gremlin)`);
  if (!url.hostname) throw invalid('url', 'has no host');
  if (url.username || url.password) throw invalid('url', 'must not hold user or password: use the credentials fields');
  if (hasSecretParameter(url.search)) throw invalid('url', `must not hold a password or other secret as a query parameter (${redactUri(trimmed)})`);
  return url;
}

/** The traversal source name, checked (the server binds it like a variable). */
export function checkedTraversalSource(name: string | undefined): string {
  const value = (name ?? '').trim() || DEFAULT_TRAVERSAL_SOURCE;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw invalid('traversalSource', `must be a name of letters, digits and _, got "${value}"`);
  return value;
}

export function checkedGremlinTls(tls: string | undefined): GremlinTls {
  const value = tls || 'verify';
  if (!TLS_MODES.includes(value)) throw invalid('tls', `must be one of ${TLS_MODES.join(', ')}, got "${value}"`);
  return value as GremlinTls;
}

export function gremlinConnectTimeoutOf(settings: GremlinSettings): number {
  const value = settings.connectTimeoutMs ?? DEFAULT_GREMLIN_CONNECT_TIMEOUT_MS;
  if (!Number.isInteger(value) || value < 1) throw invalid('connectTimeoutMs', `must be a positive whole number of milliseconds, got ${value}`);
  return value;
}

/** Every setting checked at once (before anything connects). */
export function checkGremlinSettings(settings: GremlinSettings): void {
  checkGremlinUrl(settings.url);
  checkedTraversalSource(settings.traversalSource);
  checkedGremlinTls(settings.tls);
  gremlinConnectTimeoutOf(settings);
}

/** "user@ws://host:port/gremlin (traversal source g)" for messages: never the password. */
export function describeGremlin(settings: GremlinSettings): string {
  const user = settings.user ? `${settings.user}@` : '';
  const source = (settings.traversalSource ?? '').trim() || DEFAULT_TRAVERSAL_SOURCE;
  return `${user}${redactUri((settings.url ?? '').trim().replace(/\/\/[^@/]*@/, '//'))} (traversal source ${source})`;
}
