import neo4j, { type Config } from 'neo4j-driver';
import { Pg2GraphError } from '../core/errors';
import { hasSecretParameter, redactUri } from './redact';

export type GraphDialect = 'neo4j' | 'memgraph' | 'neptune';
/** uri: follow the URI scheme (bolt+s, neo4j+ssc, ...); off; system: TLS with system CAs; any: TLS, any certificate. */
export type Neo4jTls = 'uri' | 'off' | 'system' | 'any';

export interface Neo4jSettings {
  uri: string;
  user?: string;
  password?: string;
  /** Empty for the server's default database. */
  database?: string;
  dialect?: GraphDialect | (string & {});
  tls?: Neo4jTls | (string & {});
  /** The TCP (and TLS) connect, and check() as a whole: default 5000 (README.md, Connections). */
  connectTimeoutMs?: number;
  maxPoolSize?: number;
  /** Shown by the server in its connection list: useful to tell pg2graph's connections apart. */
  userAgent?: string;
}

export const DIALECTS: readonly GraphDialect[] = ['neo4j', 'memgraph', 'neptune'];
const TLS_MODES: readonly string[] = ['uri', 'off', 'system', 'any'];
const SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'];

function invalid(setting: string, problem: string): Pg2GraphError {
  return new Pg2GraphError('NEO4J_SETTING_INVALID', `Neo4j setting "${setting}" ${problem}`, { setting });
}

/** Checks the URI by hand first: the driver's own message for a bad URI is cryptic. */
export function checkBoltUri(uri: string): URL {
  const text = (uri ?? '').trim();
  if (!text) throw invalid('uri', 'is empty');
  const variable = /^\$\{(\w+)\}$/.exec(text);
  if (variable) throw invalid('uri', `names environment variable ${variable[1]}, which is not set in Node-RED's environment`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('uri', `is not a valid URI: "${redactUri(text)}"`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!SCHEMES.includes(scheme)) {
    throw invalid('uri', `has scheme "${scheme}"; expected one of ${SCHEMES.join(', ')}`);
  }
  if (!url.hostname) throw invalid('uri', 'has no host');
  if (url.username || url.password) throw invalid('uri', 'must not hold user or password: use the credentials fields');
  if (hasSecretParameter(url.search)) {
    throw invalid('uri', `must not hold a password or other secret as a query parameter (${redactUri(text)}): use the credentials fields`);
  }
  return url;
}

export function checkedDialect(dialect: string | undefined): GraphDialect {
  const value = dialect || 'neo4j';
  if (!(DIALECTS as readonly string[]).includes(value)) {
    throw invalid('dialect', `must be one of ${DIALECTS.join(', ')}, got "${value}"`);
  }
  return value as GraphDialect;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** The connect timeout of the settings (ms). */
export function connectTimeoutOf(settings: Neo4jSettings): number {
  return settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

/**
 * Driver configuration for the settings; throws naming the bad setting. The connection timeout covers the TCP
 * (and TLS) connect only; waiting for a pooled connection, a new one's Bolt handshake and login included, is
 * bounded by the acquisition timeout (twice the connect timeout, at least 10 s).
 */
export function toDriverConfig(settings: Neo4jSettings): Config {
  const url = checkBoltUri(settings.uri);
  checkedDialect(settings.dialect);
  const tls = settings.tls || 'uri';
  if (!TLS_MODES.includes(tls)) throw invalid('tls', `must be one of ${TLS_MODES.join(', ')}, got "${tls}"`);
  const schemeHasTls = url.protocol.includes('+');
  if (schemeHasTls && tls !== 'uri') {
    throw invalid('tls', `must be "uri" when the URI scheme (${url.protocol.replace(/:$/, '')}) already sets encryption`);
  }
  const config: Config = {
    connectionTimeout: connectTimeoutOf(settings),
    connectionAcquisitionTimeout: Math.max(10_000, connectTimeoutOf(settings) * 2),
    maxConnectionPoolSize: settings.maxPoolSize ?? 50,
    userAgent: settings.userAgent ?? 'pg2graph',
    // Integers come back as neo4j Integer objects (exact 64-bit), never as lossy JS numbers.
    disableLosslessIntegers: false,
  };
  if (tls === 'off') config.encrypted = 'ENCRYPTION_OFF';
  if (tls === 'system') {
    config.encrypted = 'ENCRYPTION_ON';
    config.trust = 'TRUST_SYSTEM_CA_SIGNED_CERTIFICATES';
  }
  if (tls === 'any') {
    config.encrypted = 'ENCRYPTION_ON';
    config.trust = 'TRUST_ALL_CERTIFICATES';
  }
  return config;
}

export function authToken(settings: Neo4jSettings) {
  return settings.user || settings.password ? neo4j.auth.basic(settings.user ?? '', settings.password ?? '') : undefined;
}

/** "user@bolt://host:port/database" for messages: never the password. */
export function describeNeo4j(settings: Neo4jSettings): string {
  const db = settings.database ? ` database "${settings.database}"` : '';
  const user = settings.user ? `${settings.user}@` : '';
  return `${user}${redactUri((settings.uri ?? '').trim().replace(/\/\/[^@/]*@/, '//'))}${db}`;
}
