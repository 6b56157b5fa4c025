/**
 * The graph connection a pg2graph-neo4j config node (or its Test connection button) stands for: Neo4j over Bolt
 * (protocol "bolt", the default, so flows from before the protocol setting stay Bolt) or a Gremlin server
 * (protocol "gremlin": `uri` holds the ws:// or wss:// endpoint; see README.md, Connections).
 */
import { GremlinConnection, Neo4jConnection, type GraphConnection, type GremlinSettings, type Neo4jSettings } from '../../engine/connect';
import { Pg2GraphError } from '../../engine/core';

export const PROTOCOLS = ['bolt', 'gremlin'] as const;
export type GraphProtocol = (typeof PROTOCOLS)[number];

export interface GraphLogin {
  user: string | undefined;
  password: string | undefined;
}

function textOf(fields: Record<string, unknown>): (key: string) => string {
  return (key) => (typeof fields[key] === 'string' ? String(fields[key]).trim() : '');
}

export function protocolOf(fields: Record<string, unknown>): GraphProtocol {
  const protocol = textOf(fields)('protocol') || 'bolt';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new Pg2GraphError('NEO4J_SETTING_INVALID', `Graph connection setting "protocol" must be one of ${PROTOCOLS.join(', ')}, got "${protocol}"`, {
      setting: 'protocol',
    });
  }
  return protocol as GraphProtocol;
}

export function boltSettingsOf(fields: Record<string, unknown>, login: GraphLogin, id: string): Neo4jSettings {
  const text = textOf(fields);
  return {
    uri: text('uri'),
    database: text('database') || undefined,
    dialect: text('dialect') || 'neo4j',
    tls: text('tls') || 'uri',
    user: login.user || undefined,
    password: login.password || undefined,
    userAgent: `pg2graph/${id}`,
  };
}

/** TLS follows the endpoint's scheme (wss://); "any" also accepts a certificate no trusted CA signed. */
export function gremlinSettingsOf(fields: Record<string, unknown>, login: GraphLogin): GremlinSettings {
  const text = textOf(fields);
  return {
    url: text('uri'),
    traversalSource: text('traversalSource') || undefined,
    tls: text('tls') === 'any' ? 'any' : 'verify',
    user: login.user || undefined,
    password: login.password || undefined,
  };
}

/** The connection for these fields; a protocol that is neither bolt nor gremlin is a typed error naming the setting. */
export function graphConnectionOf(fields: Record<string, unknown>, login: GraphLogin, id: string, connectTimeoutMs?: number): GraphConnection {
  const timeout = connectTimeoutMs === undefined ? {} : { connectTimeoutMs };
  return protocolOf(fields) === 'gremlin'
    ? new GremlinConnection({ ...gremlinSettingsOf(fields, login), ...timeout })
    : new Neo4jConnection({ ...boltSettingsOf(fields, login, id), ...timeout });
}
