import { assertValidPlan, buildPlan, summarizePlan } from '../engine/plan';
import { introspectDatabase } from '../engine/schema';
import type { PostgresConfigNode } from './lib/config-nodes';
import { onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeRedApi, RedNode } from './lib/red';
import { registerSchemaPreview } from './lib/schema-preview-endpoint';
import { schemaSettings } from './lib/schema-settings';

const TYPE = 'pg2graph-schema';

interface SchemaDef extends NodeDef {
  postgres?: string;
  schemas?: string;
  include?: string;
  exclude?: string;
  typePolicies?: string;
  overrides?: string;
}

/**
 * pg schema: on input, introspects the configured schemas (or msg.schemas), generates the graph plan, applies
 * the overrides stored in the node, validates it against the live schema and sends msg.plan with a summary
 * in msg.payload. An invalid plan stops here (PLAN_INVALID), before anything is read or written.
 */
export = function register(RED: NodeRedApi): void {
  function SchemaNode(this: RedNode, def: SchemaDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    onInput(
      node,
      async (msg, send) => {
        const config = requireConfigNode<PostgresConfigNode>(
          (id) => RED.nodes.getNode(id),
          def.postgres,
          'pg2graph-postgres',
          'postgres',
          RED._(`${TYPE}.errors.noPostgres`),
        );
        const settings = schemaSettings(def, (key, values) => RED._(`${TYPE}.${key}`, values), msg.schemas);
        node.status({ fill: 'blue', shape: 'dot', text: RED._(`${TYPE}.status.introspecting`) });
        const model = await introspectDatabase(config.connection, { schemas: settings.schemas });
        const built = buildPlan(model, settings.generate, settings.overrides);
        if (built.stale.length) node.warn(RED._(`${TYPE}.warnings.staleOverrides`, { list: built.stale.join('; ') }));
        const plan = assertValidPlan(built.plan, model);
        msg.plan = plan;
        msg.payload = { ...summarizePlan(plan), staleOverrides: built.stale };
        const labels = new Set(plan.nodes.map((n) => n.label)).size;
        const types = new Set(plan.relationships.map((r) => r.type)).size;
        node.status({ fill: 'green', shape: 'dot', text: RED._(`${TYPE}.status.ready`, { labels, types }) });
        send(msg);
      },
      (error) => ({ fill: 'red', shape: 'ring', text: RED._(`${TYPE}.status.error`, { code: error.code }) }),
    );
  }

  RED.nodes.registerType(TYPE, SchemaNode);
  registerSchemaPreview(RED, TYPE);
};
