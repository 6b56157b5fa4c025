import { redact } from '../../engine/connect';
import { isPg2GraphError, messageOf, type ErrorCode } from '../../engine/core';
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
  const t = (key: string, values?: Record<string, unknown>) => RED._(`${type}.${key}`, values);
  const failure = (code: ErrorCode, message: string) => ({ ok: false as const, code, message });
  RED.httpAdmin.post(`/${type}/preview`, RED.auth.needsPermission(`${type}.read`), (req: AdminRequest, res: AdminResponse) => {
    const body = req.body ?? {};
    const answer = async () => {
      const id = typeof body.postgres === 'string' ? body.postgres : '';
      const config = id ? (RED.nodes.getNode(id) as PostgresConfigNode | null) : null;
      if (!id) return failure('CONFIG_MISSING', t('errors.noPostgres'));
      if (!config || config.type !== 'pg2graph-postgres' || !config.connection) {
        return failure('CONFIG_NOT_DEPLOYED', t('errors.notDeployed'));
      }
      const settings = schemaSettings(body, t);
      const model = await introspectDatabase(config.connection, { schemas: settings.schemas });
      const built = buildPlan(model, settings.generate, settings.overrides);
      return { ok: true, ...built, allowed: allowedRulesByEntry(built.generated, model) };
    };
    answer().then(
      (result) => res.json(result),
      (error) => res.json(failure(isPg2GraphError(error) ? error.code : 'INTERNAL', redact(messageOf(error), []))),
    );
  });
}
