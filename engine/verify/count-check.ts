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
  const nodes = plan.nodes.filter((n) => wanted(n.id));
  const relationships = plan.relationships.filter((r) => wanted(r.id));
  const targets = {
    nodes: nodes.map((entry) => ({ labels: nodeLabels(entry), key: [...entry.key] })),
    relationships: relationships.map((entry) => {
      const ends = relationshipEnds(plan, entry);
      return {
        type: entry.type,
        from: { labels: ends.from.labels, match: Object.keys(entry.from.match) },
        to: { labels: ends.to.labels, match: Object.keys(entry.to.match) },
      };
    }),
  };
  const snapshot = await ReadSnapshot.open(source, options.signal);
  // the source's counts (one snapshot, one after another) and the graph's at the same time
  const sourceCounts = inTurn([
    ...nodes.map((entry) => async () => (await new EntrySource(snapshot, await prepareRead(snapshot, entry, 'nodes')).counts()).expected),
    ...relationships.map((entry) => async () => (await new EntrySource(snapshot, await prepareRead(snapshot, entry, 'relationships')).counts()).expected),
  ]);
  const graphCounts = graph.counts
    ? graph.counts(targets.nodes, targets.relationships).then((found) => [...found.nodes, ...found.relationships])
    : inTurn([
        ...targets.nodes.map((target) => () => graph.nodeCount(target)),
        ...targets.relationships.map((target) => () => graph.relationshipCount(target)),
      ]);
  try {
    const [expected, found] = await Promise.allSettled([sourceCounts, graphCounts]);
    if (expected.status === 'rejected') throw expected.reason;
    if (found.status === 'rejected') throw found.reason;
    return [...nodes.map((entry) => ({ entry, kind: 'node' as const })), ...relationships.map((entry) => ({ entry, kind: 'relationship' as const }))].map(
      ({ entry, kind }, i) => ({ entry: entry.id, kind, source: expected.value[i], graph: found.value[i], ok: expected.value[i] === found.value[i] }),
    );
  } catch (error) {
    throw error instanceof Pg2GraphError ? error : snapshot.translate(error);
  } finally {
    await snapshot.close();
  }
}

/** Runs the tasks one after another; their results in order (the first failure ends it). */
async function inTurn(tasks: ReadonlyArray<() => Promise<number>>): Promise<number[]> {
  const results: number[] = [];
  for (const task of tasks) results.push(await task());
  return results;
}

/** One line per entry whose counts differ, naming it (empty when every count agrees). */
export function countMismatchLines(counts: readonly EntryCount[]): string[] {
  return counts
    .filter((c) => !c.ok)
    .map((c) => `count check: ${c.kind} entry "${c.entry}": source ${c.source}, graph ${c.graph} ${c.kind === 'node' ? 'nodes' : 'relationships'}`);
}
