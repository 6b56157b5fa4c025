/**
 * Which keys and lookups a plan needs in the target: a uniqueness constraint per node entry key, and an index
 * for every relationship end that matches on properties other than the end node's key.
 */
import { Pg2GraphError } from '../core/errors';
import { sameMembers } from '../core/sets';
import type { GraphPlan, NodeEntry } from '../plan/types';
import type { KeySpec, MatchSpec } from '../cypher/dialects';

export interface PlanSchema {
  keys: KeySpec[];
  matches: MatchSpec[];
}

export function entryLabels(entry: Pick<NodeEntry, 'label' | 'labels'>): string[] {
  return [entry.label, ...(entry.labels ?? []).filter((label) => label !== entry.label)];
}

function specId(label: string, names: readonly string[]): string {
  return JSON.stringify([label, [...names].sort()]);
}

export function planSchema(plan: GraphPlan): PlanSchema {
  const keys = new Map<string, KeySpec>();
  const matches = new Map<string, MatchSpec>();
  const byId = new Map(plan.nodes.map((entry) => [entry.id, entry]));
  plan.nodes.forEach((entry, i) => {
    if (!entry.label || !Array.isArray(entry.key) || !entry.key.length) {
      throw new Pg2GraphError('WRITE_PLAN_INVALID', `nodes[${i}] ("${entry.id}") needs a label and at least one key property`, { path: `nodes[${i}]` });
    }
    keys.set(specId(entry.label, entry.key), { label: entry.label, key: [...entry.key] });
  });
  plan.relationships.forEach((relationship, i) => {
    for (const side of ['from', 'to'] as const) {
      const end = relationship[side];
      const node = byId.get(end?.node);
      if (!node) {
        throw new Pg2GraphError('WRITE_PLAN_INVALID', `relationships[${i}].${side}.node: no node entry "${end?.node}" in the plan`, { path: `relationships[${i}].${side}.node` });
      }
      const properties = Object.keys(end.match ?? {});
      if (!properties.length) {
        throw new Pg2GraphError('WRITE_PLAN_INVALID', `relationships[${i}].${side}.match: names no property`, { path: `relationships[${i}].${side}.match` });
      }
      if (!sameMembers(properties, node.key)) matches.set(specId(node.label, properties), { label: node.label, properties });
    }
  });
  return { keys: [...keys.values()], matches: [...matches.values()] };
}
