/**
 * The count check after a completed run (README, Resuming a run): per entry, the records the source calls for
 * (distinct node keys; distinct pairs with no NULL match column) against the graph's nodes with the entry's
 * labels or relationships of its type between its end labels, in one snapshot of the source. Cheap next to
 * `verify` (two counts per entry, no property comparison), so the command line runs it after every run.
 */
import type { GraphConnection } from '../connect/graph-connection';
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError } from '../core/errors';
import { nodeLabels, relationshipEnds } from '../plan/ends';
import type { GraphPlan } from '../plan/types';
import { assertValidPlan } from '../plan/validate';
import { prepareRead } from '../read/prepare';
import { ReadSnapshot } from '../read/snapshot';
import { graphSideOf } from './sides';
import { EntrySource } from './source';

export interface EntryCount {
  entry: string;
  kind: 'node' | 'relationship';
  /** Records the source calls for. */
  source: number;
  /** Records the graph holds. */
  graph: number;
  ok: boolean;
}

export interface CountCheckOptions {
  plan: GraphPlan;
  /** Only these entries (default all). */
  entries?: readonly string[];
  signal?: AbortSignal;
}

export async function countEntries(source: PostgresConnection, target: GraphConnection, options: CountCheckOptions): Promise<EntryCount[]> {
  const plan = assertValidPlan(options.plan);
  const wanted = (id: string) => !options.entries || options.entries.includes(id);
  const graph = graphSideOf(target, plan);
  const snapshot = await ReadSnapshot.open(source, options.signal);
  const counts: EntryCount[] = [];
  try {
    for (const entry of plan.nodes.filter((n) => wanted(n.id))) {
      const expected = (await new EntrySource(snapshot, await prepareRead(snapshot, entry, 'nodes')).counts()).expected;
      const found = await graph.nodeCount({ labels: nodeLabels(entry), key: [...entry.key] });
      counts.push({ entry: entry.id, kind: 'node', source: expected, graph: found, ok: expected === found });
    }
    for (const entry of plan.relationships.filter((r) => wanted(r.id))) {
      const expected = (await new EntrySource(snapshot, await prepareRead(snapshot, entry, 'relationships')).counts()).expected;
      const ends = relationshipEnds(plan, entry);
      const found = await graph.relationshipCount({
        type: entry.type,
        from: { labels: ends.from.labels, match: Object.keys(entry.from.match) },
        to: { labels: ends.to.labels, match: Object.keys(entry.to.match) },
      });
      counts.push({ entry: entry.id, kind: 'relationship', source: expected, graph: found, ok: expected === found });
    }
  } catch (error) {
    throw error instanceof Pg2GraphError ? error : snapshot.translate(error);
  } finally {
    await snapshot.close();
  }
  return counts;
}

/** One line per entry whose counts differ, naming it (empty when every count agrees). */
export function countMismatchLines(counts: readonly EntryCount[]): string[] {
  return counts
    .filter((c) => !c.ok)
    .map((c) => `count check: ${c.kind} entry "${c.entry}": source ${c.source}, graph ${c.graph} ${c.kind === 'node' ? 'nodes' : 'relationships'}`);
}
