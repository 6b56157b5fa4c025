/**
 * Which keys and lookups a plan needs in the target: a uniqueness constraint per node entry key, and an index
 * for every relationship end that matches on properties other than the end node's key.
 */
import { sameMembers } from '../core/sets';
import type { NodeEntry } from '../plan/types';
import type { ValidPlan } from '../plan/valid';
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

export function planSchema(plan: ValidPlan): PlanSchema {
  const keys = new Map<string, KeySpec>();
  const matches = new Map<string, MatchSpec>();
  const byId = new Map(plan.nodes.map((entry) => [entry.id, entry]));
  // the plan was validated where it entered (every entry has a label and a key, every end a node entry and a match)
  for (const entry of plan.nodes) keys.set(specId(entry.label, entry.key), { label: entry.label, key: [...entry.key] });
  for (const relationship of plan.relationships) {
    for (const side of ['from', 'to'] as const) {
      const end = relationship[side];
      const node = byId.get(end.node) as NodeEntry;
      const properties = Object.keys(end.match);
      if (!sameMembers(properties, node.key)) matches.set(specId(node.label, properties), { label: node.label, properties });
    }
  }
  return { keys: [...keys.values()], matches: [...matches.values()] };
}
