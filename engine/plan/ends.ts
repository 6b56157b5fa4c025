/**
 * What shaping a relationship needs to know about its two end node entries: their labels, and the property
 * mappings of the matched properties, so a match column is converted with the same rule as the end node's
 * key (an int4 FK referencing an int8 key must give the same Integer, a char(n) key the same padding).
 */
import { Pg2GraphError } from '../core/errors';
import type { GraphPlan, NodeEntry, PropertyMapping, RelationshipEntry } from './types';

export interface EndInfo {
  labels: string[];
  /** The end node entry's mappings of the properties this end matches on (in `match` order). */
  properties?: PropertyMapping[];
}

/** msg.ends of a relationship batch. */
export interface RelationshipEnds {
  from: EndInfo;
  to: EndInfo;
}

export function nodeLabels(entry: NodeEntry): string[] {
  return [entry.label, ...(entry.labels ?? []).filter((l) => l !== entry.label)];
}

function endInfo(plan: GraphPlan, entry: RelationshipEntry, side: 'from' | 'to', index: number): EndInfo {
  const end = entry[side];
  const node = plan.nodes.find((n) => n.id === end.node);
  if (!node) {
    throw new Pg2GraphError(
      'READ_PLAN_INVALID',
      `relationships[${index}].${side}.node: entry "${entry.id}" points at node entry "${end.node}", which is not in the plan`,
      { entry: entry.id, path: `relationships[${index}].${side}.node` },
    );
  }
  const properties = Object.keys(end.match)
    .map((name) => node.properties.find((p) => p.name === name))
    .filter((p): p is PropertyMapping => p !== undefined);
  return { labels: nodeLabels(node), properties };
}

export function relationshipEnds(plan: GraphPlan, entry: RelationshipEntry): RelationshipEnds {
  const index = plan.relationships.indexOf(entry);
  return { from: endInfo(plan, entry, 'from', index), to: endInfo(plan, entry, 'to', index) };
}
