import { PostgresConnection, type PostgresServerInfo } from '../engine/connect';
import type { PostgresSettings } from '../engine/connect';
import { registerConnectionTest } from './lib/connection-test-endpoint';
import type { PostgresConfigNode } from './lib/config-nodes';
import type { NodeDef, NodeRedApi } from './lib/red';

const TYPE = 'pg2graph-postgres';

interface PostgresDef extends NodeDef {
  host?: string;
  port?: string | number;
  database?: string;
  sslMode?: string;
  sslRootCert?: string;
  poolSize?: string | number;
  applicationName?: string;
  connectionEnv?: string;
}

function settingsOf(def: Record<string, unknown>, user: string | undefined, password: string | undefined): PostgresSettings {
  const text = (key: string) => (typeof def[key] === 'string' || typeof def[key] === 'number' ? String(def[key]).trim() : '');
  return {
    host: text('host'),
    port: text('port'),
    database: text('database'),
    sslMode: text('sslMode') || 'disable',
    sslRootCert: text('sslRootCert') || undefined,
    poolSize: text('poolSize'),
    applicationName: text('applicationName') || 'pg2graph',
    connectionStringEnv: text('connectionEnv') || undefined,
    user: user || undefined,
    password: password || undefined,
  };
}

export = function register(RED: NodeRedApi): void {
  function PostgresConfig(this: PostgresConfigNode, def: PostgresDef) {
    RED.nodes.createNode(this, def);
    this.connection = new PostgresConnection(settingsOf(def, this.credentials.user, this.credentials.password));
    this.on('close', (_removed, done) => {
      this.connection.close().then(done, (error) => {
        this.warn(RED._('pg2graph-postgres.errors.closeFailed', { message: this.connection.translate(error).message }));
        done();
      });
    });
  }

  RED.nodes.registerType(TYPE, PostgresConfig, {
    credentials: { user: { type: 'text' }, password: { type: 'password' } },
  });

  registerConnectionTest(
    RED,
    TYPE,
    (form) => new PostgresConnection({ ...settingsOf(form.fields, form.user, form.password), connectTimeoutMs: 5000 }),
    (info) => (info as PostgresServerInfo).version,
  );
};
