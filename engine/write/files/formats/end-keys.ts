/**
 * Formats that name nodes by id (Neptune, ArangoDB) build a relationship's end ids from the end node's key
 * values, in the node entry's key order; a relationship matching its end on other properties (an FK to a
 * UNIQUE column) cannot be expressed by an id and is refused (load-csv and jsonl can hold it).
 */
import { Pg2GraphError } from '../../../core/errors';
import { sameMembers } from '../../../core/sets';
import type { NodeEntry, RelationshipEntry } from '../../../plan/types';
import type { ValidPlan } from '../../../plan/valid';

export interface EndKey {
  node: NodeEntry;
  /** Positions in a relationship batch row of the end node's key values, in its key order. */
  positions: number[];
}

export function endKey(format: string, plan: ValidPlan, entry: RelationshipEntry, side: 'from' | 'to'): EndKey {
  const end = entry[side];
  const node = plan.nodes.find((n) => n.id === end.node);
  const match = Object.keys(end.match);
  if (!node || !sameMembers(match, node.key)) {
    throw new Pg2GraphError(
      'EXPORT_PLAN_UNSUPPORTED',
      `${format}: entry ${entry.id}, ${side} end: it matches ${node?.label ?? end.node} on ${match.join(', ')}, not on its key (${node?.key.join(', ') ?? '?'}); ids name nodes by key, so only the load-csv and jsonl formats can hold it`,
      { entry: entry.id, property: match.join(',') },
    );
  }
  const start = side === 'from' ? 0 : Object.keys(entry.from.match).length;
  return { node, positions: node.key.map((name) => start + match.indexOf(name)) };
}
