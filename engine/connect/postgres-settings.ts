import fs from 'fs';
import type { PoolConfig } from 'pg';
import { Pg2GraphError } from '../core/errors';
import { optionalIntegerSetting } from '../core/settings';
import { redact } from './redact';

/**
 * libpq's meanings: require encrypts without checking the certificate (unless a CA is given: then as verify-ca),
 * verify-ca checks that a trusted CA signed it, verify-full also that it names the host. allow and prefer (libpq
 * falls back between plain and TLS) are refused: pg2graph never downgrades silently.
 */
export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** What a user configures to reach a Postgres server (config node, CLI flags or environment). */
export interface PostgresSettings {
  /** A libpq-style URL; when given it wins over host, port and database. */
  connectionString?: string;
  /** Name of an environment variable holding the connection string (e.g. DATABASE_URL). */
  connectionStringEnv?: string;
  host?: string;
  port?: number | string;
  database?: string;
  user?: string;
  password?: string;
  sslMode?: PostgresSslMode | (string & {});
  /** PEM file of the CA(s) that sign the server's certificate (libpq's sslrootcert); "system" or empty: the system's CAs. */
  sslRootCert?: string;
  poolSize?: number | string;
  applicationName?: string;
  connectTimeoutMs?: number;
}

export const SSL_MODES: readonly PostgresSslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];

function invalid(setting: string, problem: string): Pg2GraphError {
  return new Pg2GraphError('PG_SETTING_INVALID', `Postgres setting "${setting}" ${problem}`, { setting });
}

function integer(setting: string, value: number | string | undefined, min: number, max: number): number | undefined {
  return optionalIntegerSetting(value, { code: 'PG_SETTING_INVALID', setting, what: `Postgres setting "${setting}"`, min, max });
}

/** True when the value is one of SSL_MODES (or empty: disable). */
export function isSslMode(mode: string | undefined): mode is PostgresSslMode | undefined {
  return mode === undefined || mode === '' || (SSL_MODES as readonly string[]).includes(mode);
}

function readPem(setting: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw invalid(setting, `names file "${file}", which cannot be read${code ? ` (${code})` : ''}`);
  }
}

/** The TLS options for pg (false: plain); `from` names where the values came from, for messages. */
function sslOption(mode: string | undefined, rootCert: string | undefined, from: { mode: string; rootCert: string }): NonNullable<PoolConfig['ssl']> {
  if (!isSslMode(mode)) throw invalid(from.mode, `must be one of ${SSL_MODES.join(', ')}, got "${mode}"`);
  if (!mode || mode === 'disable') return false;
  const file = rootCert?.trim();
  const ca = file && file !== 'system' ? readPem(from.rootCert, file) : undefined;
  const withCa = ca ? { ca } : {};
  // pg checks the host name against the certificate unless told otherwise (tls.connect's checkServerIdentity)
  const anyHost = { checkServerIdentity: () => undefined };
  if (mode === 'require') return ca ? { ...withCa, rejectUnauthorized: true, ...anyHost } : { rejectUnauthorized: false };
  if (mode === 'verify-ca') return { ...withCa, rejectUnauthorized: true, ...anyHost };
  return { ...withCa, rejectUnauthorized: true };
}

interface UrlSsl {
  sslMode?: string;
  sslRootCert?: string;
  sslCert?: string;
  sslKey?: string;
}

/**
 * Takes libpq's TLS parameters (sslmode, sslrootcert, sslcert, sslkey) out of a connection string: they win over
 * the settings (as in libpq), and pg must not read them itself (it takes require for verify-full and reads the
 * files without naming them in its errors). Parameters libpq does not know for this are refused.
 */
function takeSslParameters(url: URL): UrlSsl {
  const taken: UrlSsl = {};
  const names = { sslmode: 'sslMode', sslrootcert: 'sslRootCert', sslcert: 'sslCert', sslkey: 'sslKey' } as const;
  for (const [parameter, field] of Object.entries(names) as [keyof typeof names, keyof UrlSsl][]) {
    const value = url.searchParams.get(parameter);
    if (value !== null) taken[field] = value;
    url.searchParams.delete(parameter);
  }
  for (const other of ['ssl', 'sslnegotiation', 'uselibpqcompat']) {
    if (url.searchParams.has(other)) {
      throw invalid('connectionString', `has parameter "${other}", which pg2graph does not take: use sslmode (${SSL_MODES.join(', ')}) and sslrootcert`);
    }
  }
  return taken;
}

/** The connection string without its TLS parameters, and the TLS options they and the settings give. */
function connectionStringSsl(url: URL, settings: PostgresSettings, fallback: PoolConfig['ssl']): { text: string; ssl: PoolConfig['ssl'] } {
  const fromUrl = takeSslParameters(url);
  if (!Object.keys(fromUrl).length) return { text: url.toString(), ssl: fallback };
  const ssl = sslOption(fromUrl.sslMode ?? settings.sslMode, fromUrl.sslRootCert ?? settings.sslRootCert, {
    mode: fromUrl.sslMode !== undefined ? 'connectionString sslmode' : 'sslMode',
    rootCert: fromUrl.sslRootCert !== undefined ? 'connectionString sslrootcert' : 'sslRootCert',
  });
  if ((fromUrl.sslCert || fromUrl.sslKey) && ssl !== false && typeof ssl === 'object') {
    if (!fromUrl.sslCert || !fromUrl.sslKey) throw invalid('connectionString', 'has only one of sslcert and sslkey: a client certificate needs both');
    ssl.cert = readPem('connectionString sslcert', fromUrl.sslCert);
    ssl.key = readPem('connectionString sslkey', fromUrl.sslKey);
  }
  return { text: url.toString(), ssl };
}

/** Replaces connectionStringEnv by the value of that variable; throws when it is not set. */
export function resolveEnvironment(settings: PostgresSettings, env: NodeJS.ProcessEnv = process.env): PostgresSettings {
  const name = settings.connectionStringEnv?.trim();
  if (!name) return settings;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalid('connectionStringEnv', `is not a valid environment variable name: "${name}"`);
  const value = env[name];
  if (!value) throw invalid('connectionStringEnv', `names environment variable ${name}, which is not set`);
  return { ...settings, connectionStringEnv: undefined, connectionString: value };
}

/** Checks the settings and turns them into a pg.Pool configuration; throws naming the bad setting. */
export function toPoolConfig(input: PostgresSettings, env: NodeJS.ProcessEnv = process.env): PoolConfig {
  const settings = resolveEnvironment(input, env);
  const port = integer('port', settings.port, 1, 65535);
  const max = integer('poolSize', settings.poolSize, 1, 1000) ?? 5;
  const common: PoolConfig = {
    max,
    ssl: sslOption(settings.sslMode, settings.sslRootCert, { mode: 'sslMode', rootCert: 'sslRootCert' }),
    application_name: settings.applicationName || 'pg2graph',
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
  };
  if (settings.connectionString) {
    const text = settings.connectionString.trim();
    if (!/^postgres(ql)?:\/\//i.test(text)) {
      throw invalid('connectionString', 'must start with postgres:// or postgresql://');
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalid('connectionString', 'is not a valid URL');
    }
    const { text: withoutSsl, ssl } = connectionStringSsl(url, settings, common.ssl);
    const config: PoolConfig = { ...common, ssl, connectionString: Object.is(ssl, common.ssl) ? text : withoutSsl };
    if (settings.user) config.user = settings.user;
    if (settings.password) config.password = settings.password;
    return config;
  }
  if (!settings.host) throw invalid('host', 'is empty');
  if (!settings.database) throw invalid('database', 'is empty');
  return {
    ...common,
    host: settings.host,
    port: port ?? 5432,
    database: settings.database,
    user: settings.user || undefined,
    password: settings.password || undefined,
  };
}

/** The TLS mode a connection uses, for messages: the connection string's sslmode, else the setting. */
export function effectiveSslMode(settings: PostgresSettings): string {
  if (settings.connectionString) {
    try {
      const mode = new URL(settings.connectionString).searchParams.get('sslmode');
      if (mode !== null) return mode;
    } catch {
      // reported by toPoolConfig
    }
  }
  return settings.sslMode || 'disable';
}

/** "user@host:port/database" for messages: never the password. */
export function describePostgres(settings: PostgresSettings): string {
  if (settings.connectionStringEnv) return `$${settings.connectionStringEnv}`;
  if (settings.connectionString) {
    try {
      const url = new URL(settings.connectionString);
      const user = settings.user || decodeURIComponent(url.username);
      return `${user ? `${user}@` : ''}${url.hostname}:${url.port || '5432'}${decodeURIComponent(url.pathname)}`;
    } catch {
      return redact(settings.connectionString, [settings.password]);
    }
  }
  const user = settings.user ? `${settings.user}@` : '';
  return `${user}${settings.host ?? '?'}:${settings.port || 5432}/${settings.database ?? '?'}`;
}

/** Secrets that must never leave in text: the password and the connection string's password. */
export function postgresSecrets(settings: PostgresSettings): string[] {
  const secrets: string[] = [];
  if (settings.password) secrets.push(settings.password);
  if (settings.connectionString) {
    try {
      const url = new URL(settings.connectionString);
      if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
      // libpq (and pg) also take the password as a query parameter
      const query = url.searchParams.get('password');
      if (query) secrets.push(query, encodeURIComponent(query));
    } catch {
      // an unparsable string is never echoed whole anyway
    }
  }
  return secrets;
}
