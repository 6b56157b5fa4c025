/** Reads the pg2graph-schema node's settings (as stored in the flow, or as the edit dialog sends them). */
import { Pg2GraphError } from '../../engine/core';
import type { GenerateOptions, PlanOverrides } from '../../engine/plan';
import { parseOverrides } from '../../engine/plan';
import type { ValuePolicy } from '../../engine/values';
import type { Translate } from './red';

export interface SchemaSettings {
  schemas: string[];
  generate: GenerateOptions;
  overrides: PlanOverrides;
}

/** "a, b\nc" -> [a, b, c]; lists pass through (trimmed, empties dropped). */
export function listSetting(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[,\n]/) : [];
  return items.map((s) => s.trim()).filter(Boolean);
}

function typePoliciesSetting(value: unknown, t: Translate): Record<string, ValuePolicy> | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new Pg2GraphError('SETTING_INVALID', t('errors.typePoliciesNotJson', { message: (error as Error).message }), { setting: 'typePolicies' });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Pg2GraphError('SETTING_INVALID', t('errors.typePoliciesNotObject'), { setting: 'typePolicies' });
  }
  return parsed as Record<string, ValuePolicy>;
}

/**
 * Settings from the node (or dialog) fields; `schemasOverride` (msg.schemas) replaces the configured schemas
 * and must be a list of names. `t` looks up the pg2graph-schema catalog for the error messages.
 */
export function schemaSettings(fields: Record<string, unknown>, t: Translate, schemasOverride?: unknown): SchemaSettings {
  let schemas = listSetting(fields.schemas);
  if (schemasOverride !== undefined) {
    if (!Array.isArray(schemasOverride) || !schemasOverride.length || !schemasOverride.every((s) => typeof s === 'string' && s !== '')) {
      throw new Pg2GraphError('INPUT_INVALID', t('errors.schemasInvalid'), { field: 'msg.schemas' });
    }
    schemas = schemasOverride as string[];
  }
  return {
    schemas: schemas.length ? schemas : ['public'],
    generate: { include: listSetting(fields.include), exclude: listSetting(fields.exclude), typePolicies: typePoliciesSetting(fields.typePolicies, t) },
    overrides: parseOverrides(fields.overrides),
  };
}
