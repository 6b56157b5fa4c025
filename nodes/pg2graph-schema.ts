import { assertValidPlan, buildPlan, summarizePlan } from '../engine/plan';
import { applyProbe, notProbedWarning } from '../engine/probe';
import { probeDatabase } from '../engine/read';
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
  /** Probe the data for values the rules cannot hold (default on; flows from before the setting have none). */
  probe?: boolean | string;
}

/**
 * pg schema: on input, introspects the configured schemas (or msg.schemas), generates the graph plan, applies
 * the overrides stored in the node, validates it against the live schema, probes the data for values its rules
 * cannot hold (setting "probe", default on: their columns get a lossless policy) and sends msg.plan with a
 * summary in msg.payload. An invalid plan stops here (PLAN_INVALID), before anything is read or written.
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
        let plan = assertValidPlan(built.plan, model);
        if (def.probe !== false && def.probe !== 'false') {
          node.status({ fill: 'blue', shape: 'dot', text: RED._(`${TYPE}.status.probing`) });
          const found = await probeDatabase(config.connection, plan);
          const probed = applyProbe(plan, found);
          plan = assertValidPlan(probed.plan, model);
          for (const change of probed.changes) {
            node.warn(RED._(`${TYPE}.warnings.probed`, { entry: change.entry, column: change.column, keep: JSON.stringify(change.keep) }));
          }
          for (const skipped of found.notProbed) node.warn(RED._(`${TYPE}.warnings.notProbed`, { message: notProbedWarning(skipped) }));
        }
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
