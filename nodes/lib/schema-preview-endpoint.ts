import { redact } from '../../engine/connect';
import { isPg2GraphError, messageOf } from '../../engine/core';
import { allowedRulesByEntry, buildPlan } from '../../engine/plan';
import { introspectDatabase } from '../../engine/schema';
import type { PostgresConfigNode } from './config-nodes';
import type { AdminRequest, AdminResponse, NodeRedApi } from './red';
import { schemaSettings } from './schema-settings';

/**
 * POST /pg2graph-schema/preview (permission pg2graph-schema.read): the plan the node would emit for the
 * settings in the edit dialog, through the deployed Postgres config node's connection. Answers
 * { ok: true, plan, generated, stale, problems, allowed } or { ok: false, code, message }.
 */
export function registerSchemaPreview(RED: NodeRedApi, type: string): void {
  RED.httpAdmin.post(`/${type}/preview`, RED.auth.needsPermission(`${type}.read`), (req: AdminRequest, res: AdminResponse) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const answer = async () => {
      const id = typeof body.postgres === 'string' ? body.postgres : '';
      const config = id ? (RED.nodes.getNode(id) as PostgresConfigNode | null) : null;
      if (!id) return { ok: false, code: 'CONFIG_MISSING', message: RED._(`${type}.errors.noPostgres`) };
      if (!config || config.type !== 'pg2graph-postgres' || !config.connection) {
        return { ok: false, code: 'CONFIG_NOT_DEPLOYED', message: RED._(`${type}.errors.notDeployed`) };
      }
      const settings = schemaSettings(body);
      const model = await introspectDatabase(config.connection, { schemas: settings.schemas });
      const built = buildPlan(model, settings.generate, settings.overrides);
      return { ok: true, ...built, allowed: allowedRulesByEntry(built.generated, model) };
    };
    answer().then(
      (result) => res.json(result),
      (error) => res.json({ ok: false, code: isPg2GraphError(error) ? error.code : 'INTERNAL', message: redact(messageOf(error), []) }),
    );
  });
}
