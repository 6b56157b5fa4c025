import type { SchemaModel } from '../schema/model';
import { allowedRules } from '../values/rules';
import type { GraphPlan } from './types';
import type { ValueRule } from '../values/rule-types';

/**
 * The value rules each column of each entry may use (entry id -> column -> rules, default first; "string"
 * always among them): what an editor offers when the user picks a rule.
 */
export function allowedRulesByEntry(plan: GraphPlan, model: SchemaModel): Record<string, Record<string, ValueRule[]>> {
  const result: Record<string, Record<string, ValueRule[]>> = {};
  const entries = [
    ...plan.nodes.map((n) => ({ id: n.id, table: n.table })),
    ...plan.relationships.filter((r) => r.source.kind === 'joinTable').map((r) => ({ id: r.id, table: r.source.table })),
  ];
  for (const entry of entries) {
    const table = entry.table && model.tables.find((t) => t.schema === entry.table!.schema && t.name === entry.table!.name);
    if (!table) continue;
    result[entry.id] = Object.fromEntries(table.columns.map((c) => [c.name, [...new Set<ValueRule>([...allowedRules(c.type), 'string'])]]));
  }
  return result;
}
