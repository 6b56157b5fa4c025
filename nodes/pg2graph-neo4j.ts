/**
 * pg2graph-neo4j: the graph connection shared by pg read, graph write and graph verify: Neo4j over Bolt (the
 * default) or a Gremlin server (protocol "gremlin"). It owns the driver or client and closes it on redeploy.
 */
import type { GraphConnection, GremlinServerInfo, Neo4jServerInfo } from '../engine/connect';
import { asTyped } from './lib/node-input';
import { registerConnectionTest } from './lib/connection-test-endpoint';
import type { GraphConfigNode } from './lib/config-nodes';
import { graphConnectionOf } from './lib/graph-connection-settings';
import type { NodeDef, NodeRedApi } from './lib/red';

const TYPE = 'pg2graph-neo4j';

function describeServer(info: unknown): string {
  const bolt = info as Partial<Neo4jServerInfo>;
  if (typeof bolt.agent === 'string') return bolt.agent;
  const gremlin = info as GremlinServerInfo;
  return `Gremlin ${gremlin.url} (traversal source ${gremlin.traversalSource})`;
}

export = function register(RED: NodeRedApi): void {
  function GraphConfig(this: GraphConfigNode, def: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, def);
    let connection: GraphConnection | undefined;
    try {
      connection = graphConnectionOf(def, { user: this.credentials.user, password: this.credentials.password }, def.id);
    } catch (error) {
      // the nodes using this connection fail with the error when they first need it (done(err), Catch nodes)
      const typed = asTyped(error);
      this.error(typed.message);
      Object.defineProperty(this, 'connection', {
        get: () => {
          throw typed;
        },
      });
    }
    if (connection) Object.defineProperty(this, 'connection', { value: connection });
    this.on('close', (_removed, done) => {
      if (!connection) return done();
      const closing = connection;
      closing.close().then(done, (error) => {
        this.warn(RED._('pg2graph-neo4j.errors.closeFailed', { message: closing.translate(error).message }));
        done();
      });
    });
  }

  RED.nodes.registerType(TYPE, GraphConfig, {
    credentials: { user: { type: 'text' }, password: { type: 'password' } },
  });

  registerConnectionTest(RED, TYPE, (form) => graphConnectionOf(form.fields, form, 'connection-test', 5000), describeServer);
};
