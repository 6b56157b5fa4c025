import { Neo4jConnection, type Neo4jServerInfo } from '../engine/connect';
import type { Neo4jSettings } from '../engine/connect';
import { registerConnectionTest } from './lib/connection-test-endpoint';
import type { Neo4jConfigNode } from './lib/config-nodes';
import type { NodeDef, NodeRedApi } from './lib/red';

const TYPE = 'pg2graph-neo4j';

interface Neo4jDef extends NodeDef {
  uri?: string;
  database?: string;
  dialect?: string;
  tls?: string;
}

function settingsOf(def: Record<string, unknown>, user: string | undefined, password: string | undefined, id: string): Neo4jSettings {
  const text = (key: string) => (typeof def[key] === 'string' ? String(def[key]).trim() : '');
  return {
    uri: text('uri'),
    database: text('database') || undefined,
    dialect: text('dialect') || 'neo4j',
    tls: text('tls') || 'uri',
    user: user || undefined,
    password: password || undefined,
    userAgent: `pg2graph/${id}`,
  };
}

export = function register(RED: NodeRedApi): void {
  function Neo4jConfig(this: Neo4jConfigNode, def: Neo4jDef) {
    RED.nodes.createNode(this, def);
    this.connection = new Neo4jConnection(settingsOf(def, this.credentials.user, this.credentials.password, def.id));
    this.on('close', (_removed, done) => {
      this.connection.close().then(done, (error) => {
        this.warn(RED._('pg2graph-neo4j.errors.closeFailed', { message: this.connection.translate(error).message }));
        done();
      });
    });
  }

  RED.nodes.registerType(TYPE, Neo4jConfig, {
    credentials: { user: { type: 'text' }, password: { type: 'password' } },
  });

  registerConnectionTest(
    RED,
    TYPE,
    (form) => new Neo4jConnection({ ...settingsOf(form.fields, form.user, form.password, 'connection-test'), connectTimeoutMs: 5000 }),
    (info) => (info as Neo4jServerInfo).agent,
  );
};
