import type { PoolConfig } from 'pg';
import { Pg2GraphError } from '../core/errors';
import { optionalIntegerSetting } from '../core/settings';
import { redact } from './redact';

export type PostgresSslMode = 'disable' | 'require' | 'verify-full';

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
  poolSize?: number | string;
  applicationName?: string;
  connectTimeoutMs?: number;
}

const SSL_MODES: readonly string[] = ['disable', 'require', 'verify-full'];

function invalid(setting: string, problem: string): Pg2GraphError {
  return new Pg2GraphError('PG_SETTING_INVALID', `Postgres setting "${setting}" ${problem}`, { setting });
}

function integer(setting: string, value: number | string | undefined, min: number, max: number): number | undefined {
  return optionalIntegerSetting(value, { code: 'PG_SETTING_INVALID', setting, what: `Postgres setting "${setting}"`, min, max });
}

function sslOption(mode: string | undefined): PoolConfig['ssl'] {
  if (mode === undefined || mode === '' || mode === 'disable') return undefined;
  if (!SSL_MODES.includes(mode)) {
    throw invalid('sslMode', `must be one of ${SSL_MODES.join(', ')}, got "${mode}"`);
  }
  return mode === 'verify-full' ? { rejectUnauthorized: true } : { rejectUnauthorized: false };
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
    ssl: sslOption(settings.sslMode),
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
    try {
      new URL(text);
    } catch {
      throw invalid('connectionString', 'is not a valid URL');
    }
    const config: PoolConfig = { ...common, connectionString: text };
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
