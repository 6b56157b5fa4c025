/**
 * graph query: msg.cypher (or the node's own Cypher) with msg.params -> the engine runs it in a read transaction
 * on the graph connection -> msg.payload = the rows as plain objects keyed by column, msg.columns. Bolt only: a
 * Gremlin connection is refused by name. Failures go to done(err), so Catch nodes see msg.error.code.
 */
import { Pg2GraphError } from '../engine/core';
import { isGremlinConnection } from '../engine/connect';
import { runGraphQuery } from '../engine/query';
import type { GraphConfigNode } from './lib/config-nodes';
import { onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeRedApi, RedNode } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { AbortOnClose } from './lib/abort-on-close';

const TYPE = 'pg2graph-query';

interface QueryDef extends NodeDef {
  neo4j?: string;
  cypher?: string;
  timeoutMs?: string | number;
}

/** The node's timeout setting: empty for the engine's default; a text of digits as a number; anything else as given, for the engine to refuse by name. */
function timeoutOf(setting: string | number | undefined): unknown {
  if (setting === undefined || setting === '') return undefined;
  return typeof setting === 'string' && /^\d+$/.test(setting.trim()) ? Number(setting) : setting;
}

export = function register(RED: NodeRedApi): void {
  function GraphQuery(this: RedNode, def: QueryDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new ThrottledStatus(node);
    const t = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);
    const work = new AbortOnClose(node, status);

    onInput(
      node,
      async (msg, send) => {
        const graph = requireConfigNode<GraphConfigNode>((id) => RED.nodes.getNode(id), def.neo4j, 'pg2graph-neo4j', 'neo4j', t('errors.noGraph'));
        const connection = graph.connection;
        if (isGremlinConnection(connection)) {
          throw new Pg2GraphError('QUERY_UNSUPPORTED', t('errors.gremlin', { target: connection.target }), { setting: 'neo4j', protocol: 'gremlin' });
        }
        if (msg.cypher !== undefined && typeof msg.cypher !== 'string') {
          throw new Pg2GraphError('QUERY_INPUT_INVALID', t('errors.cypherNotText'), { setting: 'msg.cypher' });
        }
        const cypher = msg.cypher ?? def.cypher ?? '';
        status.now({ fill: 'blue', shape: 'ring', text: t('status.running') });
        const started = Date.now();
        await work.run(async (signal) => {
          const result = await runGraphQuery(connection, cypher, msg.params as Record<string, unknown>, {
            timeoutMs: timeoutOf(def.timeoutMs) as number | undefined,
            signal,
          });
          status.now({ fill: 'green', shape: 'dot', text: t('status.done', { rows: result.rows.length, ms: Date.now() - started }) });
          msg.payload = result.rows;
          msg.columns = result.columns;
          send(msg);
        });
      },
      (error) => {
        status.clear();
        return { fill: 'red', shape: 'ring', text: t('status.error', { code: error.code }) };
      },
    );
  }

  RED.nodes.registerType(TYPE, GraphQuery);
};
