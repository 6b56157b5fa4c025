import os from 'os';
import { Pg2GraphError, settlesWithin } from '../engine/core';
import {
  GremlinConnection,
  Neo4jConnection,
  SSL_MODES,
  isSslMode,
  type GraphConnection,
  type GremlinSettings,
  type PostgresSettings,
  type Neo4jSettings,
} from '../engine/connect';
import { lookUpPassword } from './pgpass';

/**
 * How long a command waits for its connections to close (README.md, Command line): a stalled server may never
 * answer the goodbye, and the process exits after this all the same.
 */
export const CLOSE_DEADLINE_MS = 5000;

/** Closes the connections, waiting at most CLOSE_DEADLINE_MS; true when they all closed in time. */
export function closeConnections(...connections: Array<{ close(): Promise<void> }>): Promise<boolean> {
  return settlesWithin(Promise.allSettled(connections.map((connection) => connection.close())), CLOSE_DEADLINE_MS);
}

export interface ConnectionFlags {
  pg?: string;
  'neo4j-uri'?: string;
  'neo4j-user'?: string;
  'neo4j-database'?: string;
  dialect?: string;
  gremlin?: string;
  'traversal-source'?: string;
  target?: string;
}

/**
 * TLS from libpq's PGSSLMODE and PGSSLROOTCERT, for every way of naming the server (sslmode and sslrootcert in a
 * URL win, as in libpq). An unknown mode is refused naming PGSSLMODE: allow and prefer too, since pg2graph never
 * falls back to a plain connection.
 */
function tlsFromEnvironment(env: NodeJS.ProcessEnv): Pick<PostgresSettings, 'sslMode' | 'sslRootCert'> {
  const mode = env.PGSSLMODE?.trim() || 'disable';
  if (!isSslMode(mode)) {
    throw new Pg2GraphError(
      'PG_SETTING_INVALID',
      `PGSSLMODE must be one of ${SSL_MODES.join(', ')}, got "${mode}" (pg2graph never falls back to a plain connection)`,
      {
        setting: 'PGSSLMODE',
      },
    );
  }
  const rootCert = env.PGSSLROOTCERT?.trim();
  return { sslMode: mode, ...(rootCert ? { sslRootCert: rootCert } : {}) };
}

/**
 * A URL without a password gets it from PGPASSWORD, else from the password file (PGPASSFILE, ~/.pgpass), as libpq
 * does: so `--pg` never needs to carry one, where the process list would show it.
 */
function fromUrl(text: string, env: NodeJS.ProcessEnv): PostgresSettings {
  const settings: PostgresSettings = { connectionString: text, applicationName: 'pg2graph-cli' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return settings; // the connection refuses it, naming the setting
  }
  if (url.password || url.searchParams.has('password')) return settings;
  const user = decodeURIComponent(url.username) || env.PGUSER || os.userInfo().username;
  const password =
    env.PGPASSWORD ??
    lookUpPassword({ host: url.hostname || 'localhost', port: url.port || '5432', database: decodeURIComponent(url.pathname.slice(1)) || user, user }, env);
  return password === undefined ? settings : { ...settings, password };
}

/**
 * Postgres from --pg URL, else DATABASE_URL, else the libpq PG* variables (the password: PGPASSWORD, else
 * PGPASSFILE / ~/.pgpass); TLS from PGSSLMODE / PGSSLROOTCERT.
 */
export function postgresSettings(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): PostgresSettings {
  const tls = tlsFromEnvironment(env);
  if (flags.pg) return { ...fromUrl(flags.pg, env), ...tls };
  if (env.DATABASE_URL) return { ...fromUrl(env.DATABASE_URL, env), ...tls };
  const user = env.PGUSER || os.userInfo().username;
  const server = { host: env.PGHOST || 'localhost', port: env.PGPORT || '5432', database: env.PGDATABASE || user, user };
  return {
    ...server,
    password: env.PGPASSWORD ?? lookUpPassword(server, env),
    ...tls,
    applicationName: 'pg2graph-cli',
  };
}

/** Neo4j from flags and NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE (the password only from the environment). */
export function neo4jSettings(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Neo4jSettings {
  return {
    uri: flags['neo4j-uri'] || env.NEO4J_URI || 'bolt://127.0.0.1:7687',
    user: flags['neo4j-user'] || env.NEO4J_USER || env.NEO4J_USERNAME || 'neo4j',
    password: env.NEO4J_PASSWORD,
    database: flags['neo4j-database'] || env.NEO4J_DATABASE || undefined,
    dialect: flags.dialect || 'neo4j',
    userAgent: 'pg2graph-cli',
  };
}

/**
 * Gremlin from --gremlin URL, else GREMLIN_URL; the traversal source from --traversal-source, else
 * GREMLIN_TRAVERSAL_SOURCE, else g; GREMLIN_USER and GREMLIN_PASSWORD (the password only from the environment).
 */
export function gremlinSettings(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): GremlinSettings {
  return {
    url: flags.gremlin || env.GREMLIN_URL || 'ws://127.0.0.1:8182/gremlin',
    traversalSource: flags['traversal-source'] || env.GREMLIN_TRAVERSAL_SOURCE || undefined,
    user: env.GREMLIN_USER || undefined,
    password: env.GREMLIN_PASSWORD || undefined,
  };
}

/**
 * The graph a command talks to (README.md, Command line): Gremlin with --gremlin URL or --target gremlin, or when
 * GREMLIN_URL is set and neither --neo4j-uri nor NEO4J_URI is; Neo4j otherwise.
 */
export function graphConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): GraphConnection {
  const target = flags.target;
  if (target !== undefined && target !== 'neo4j' && target !== 'gremlin') {
    throw new Pg2GraphError('CLI_FLAG_INVALID', `--target must be neo4j or gremlin, got "${target}"`, { flag: 'target' });
  }
  if (flags.gremlin && target === 'neo4j') {
    throw new Pg2GraphError('CLI_FLAG_INVALID', '--gremlin names a Gremlin server, --target neo4j asks for Neo4j: give one of them', { flag: 'target' });
  }
  const gremlin = target === 'gremlin' || !!flags.gremlin || (target === undefined && !!env.GREMLIN_URL && !flags['neo4j-uri'] && !env.NEO4J_URI);
  return gremlin ? new GremlinConnection(gremlinSettings(flags, env)) : new Neo4jConnection(neo4jSettings(flags, env));
}

export const CONNECTION_OPTIONS = {
  pg: { type: 'string' },
  'neo4j-uri': { type: 'string' },
  'neo4j-user': { type: 'string' },
  'neo4j-database': { type: 'string' },
  dialect: { type: 'string' },
  gremlin: { type: 'string' },
  'traversal-source': { type: 'string' },
  target: { type: 'string' },
} as const;
