/**
 * Verifies one node entry: source records (one per key) against the nodes with the entry's labels: counts
 * (every source row is one node), every source key present (and not twice), no node the source does not have,
 * no key shared by several source rows, and every property equal under the value rules (all records, or an
 * even sample).
 */
import type { NodeEntry } from '../plan/types';
import { prepareRead } from '../read/prepare';
import { compileNodeShaper } from '../shape/nodes';
import { nodeLabels } from '../plan/ends';
import { checkCancelled, type VerifyContext } from './context';
import type { NodeTarget, RelationshipTarget } from './cypher';
import { keyValues } from './keys';
import { propertyDifferences } from './properties';
import type { CheckResult, EntryReport, KeyValues } from './report';
import { Sampler } from './sample';
import { EntrySource } from './source';
import { checkResult, Tally } from './tally';
import { unexpectedIdentities } from './unexpected';
import { MAX_EXAMPLES } from './report';
import { finishEntry, propertiesCheck, unexpectedNote } from './entry-report';

export interface CheckedEntry {
  report: EntryReport;
  source: EntrySource;
  /** Where aggregates find the entry's graph records. */
  target: { node: NodeTarget } | { rel: RelationshipTarget };
  /** A record's identity values (key, or end values) as report examples show them. */
  identityExample(values: unknown[]): { key: KeyValues } | { from: KeyValues; to: KeyValues };
}

export async function verifyNodeEntry(context: VerifyContext, entry: NodeEntry): Promise<CheckedEntry> {
  const started = Date.now();
  const prepared = await prepareRead(context.snapshot, entry, 'nodes');
  const source = new EntrySource(context.snapshot, prepared);
  const target: NodeTarget = { labels: nodeLabels(entry), key: [...entry.key] };
  const counts = await source.counts();
  const graphCount = await context.graph.nodeCount(target);
  const shaper = compileNodeShaper(entry, prepared.columns);
  const sampler = new Sampler(counts.expected, context.sample);
  const flattened = entry.properties.filter((p) => p.as === 'flatten').map((p) => p.name);
  const keyLength = entry.key.length;
  const missing = new Tally();
  const duplicates = new Tally();
  const mismatches = new Tally();
  let records = 0;
  let nodesFound = 0;
  let compared = 0;
  let equal = 0;
  let sampledMissing = 0;
  const progress = (force = false) => context.progress({ entry: entry.id, kind: 'node', rows: records, total: counts.expected }, force);
  progress(true);

  for await (const rows of source.stream(context.batchSize)) {
    checkCancelled(context);
    const batch = await shaper.shape(rows);
    const keys = batch.rows.map((row) => row.slice(0, keyLength));
    const compare = batch.rows.map((_, i) => sampler.takes(records + i));
    const answers = keys.length ? await context.graph.nodeLookup(target, keys, compare) : new Map<number, never>();
    batch.rows.forEach((row, i) => {
      const answer = answers.get(i);
      const key = () => keyValues(target.key, keys[i]);
      if (!answer) {
        missing.add(() => ({ key: key() }));
        if (compare[i]) sampledMissing++;
        return;
      }
      nodesFound += answer.count;
      if (answer.count > 1) duplicates.add(() => ({ key: key(), count: answer.count }));
      if (!compare[i] || !answer.properties) return;
      compared++;
      const differences = propertyDifferences(context.graph, 'node', batch.columns, row, answer.properties, flattened);
      if (!differences.length) equal++;
      for (const difference of differences) mismatches.add(() => ({ key: key(), ...difference }));
    });
    records += batch.rows.length;
    progress();
  }

  const unexpectedCount = Math.max(0, graphCount - nodesFound);
  const unexpected = new Tally();
  if (unexpectedCount > 0) {
    const wanted = Math.min(MAX_EXAMPLES, unexpectedCount);
    const found = await unexpectedIdentities(
      context,
      source,
      context.graph.nodeKeys(target),
      async (rows) => (await shaper.shape(rows)).rows.map((row) => row.slice(0, keyLength)),
      wanted,
    );
    for (const values of found) unexpected.example({ key: keyValues(target.key, values) });
  }

  // rows that share a key with an earlier row get no node of their own: the count and this check both fail
  const sharedRows = counts.rows - counts.expected;
  const sourceDuplicates = new Tally();
  if (sharedRows > 0) {
    const shared = await source.sharedIdentities(MAX_EXAMPLES);
    const keys = (await shaper.shape(shared.rows)).rows.map((row) => row.slice(0, keyLength));
    keys.forEach((values, i) => sourceDuplicates.example({ key: keyValues(target.key, values), count: shared.counts[i] }));
  }
  const countNote = sharedRows > 0 ? `${counts.rows} rows, ${counts.expected} distinct keys` : undefined;
  const checks: CheckResult[] = [
    checkResult('count', counts.rows === graphCount, counts.rows, graphCount, [], countNote),
    checkResult('missing', missing.count === 0, 0, missing.count, missing.examples),
    checkResult('unexpected', unexpectedCount === 0, 0, unexpectedCount, unexpected.examples, unexpectedNote(unexpectedCount, unexpected.examples.length)),
    checkResult(
      'duplicates',
      duplicates.count === 0,
      0,
      duplicates.count,
      duplicates.examples,
      duplicates.count ? 'keys held by more than one node' : undefined,
    ),
    checkResult(
      'sourceDuplicates',
      sharedRows === 0,
      0,
      sharedRows,
      sourceDuplicates.examples,
      sharedRows ? 'keys held by more than one source row: found counts the rows beyond the first of each key' : undefined,
    ),
    propertiesCheck({ compared, equal, mismatches, sampler, total: records, sampledMissing, sample: context.sample }),
  ];
  progress(true);
  return {
    report: finishEntry(entry.id, 'node', target.labels.join(':'), counts.rows, graphCount, checks, started, counts.rows),
    source,
    target: { node: target },
    identityExample: (values) => ({ key: keyValues(target.key, values) }),
  };
}
