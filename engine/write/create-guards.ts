/**
 * CREATE mode's guard statements for every entry of a plan, so that a run asks the target about all the entries
 * of a phase at once instead of one round trip before the first batch of each (relationship entries are
 * written one after another, where those round trips add up).
 */
import type { GraphPlan } from '../plan/types';
import type { Phase } from '../core/records';
import { nodeLabels } from '../plan/ends';
import { nodesExistStatement, relationshipsExistStatement } from './statements';

/** Per phase: entry id -> the statement that finds a node (or relationship) the entry would create. */
export type GuardStatements = Record<Phase, Map<string, string>>;

export function guardStatementsOf(plan: GraphPlan): GuardStatements {
  const byId = new Map(plan.nodes.map((entry) => [entry.id, entry]));
  const nodes = new Map(plan.nodes.map((entry) => [entry.id, nodesExistStatement(nodeLabels(entry))]));
  const relationships = new Map<string, string>();
  for (const entry of plan.relationships) {
    const from = byId.get(entry.from.node);
    const to = byId.get(entry.to.node);
    if (!from || !to) continue;
    relationships.set(
      entry.id,
      relationshipsExistStatement({
        type: entry.type,
        from: { labels: nodeLabels(from), match: [] },
        to: { labels: nodeLabels(to), match: [] },
      }),
    );
  }
  return { nodes, relationships };
}

/** What the target held when a run's phase began: entries with a checkpoint, entries already present. */
export interface PhaseFindings {
  checkpointed: Set<string>;
  present: Set<string>;
}
