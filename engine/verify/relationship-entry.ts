/**
 * Verifies one relationship entry: source pairs (rows with no NULL match column; a repeated pair is one)
 * against the relationships of its type between its end labels: counts, every pair joined (once), no
 * relationship the source does not have, and the relationship properties equal under the value rules.
 */
import type { GraphPlan, RelationshipEntry } from '../plan/types';
import { prepareRead } from '../read/prepare';
import { relationshipEnds } from '../plan/ends';
import { compileRelationshipShaper } from '../shape/relationships';
import { checkCancelled, type VerifyContext } from './context';
import type { RelationshipTarget } from './cypher';
import { finishEntry, propertiesCheck, unexpectedNote } from './entry-report';
import { keyValues } from './keys';
import type { CheckedEntry } from './node-entry';
import { propertyDifferences } from './properties';
import { MAX_EXAMPLES, type CheckResult, type KeyValues, type PairExample } from './report';
import { Sampler } from './sample';
import { EntrySource } from './source';
import { checkResult, Tally } from './tally';
import { unexpectedIdentities } from './unexpected';

function endNote(starts: number, ends: number): string {
  if (!starts && !ends) return 'neither end node exists';
  if (!starts) return 'the start node does not exist';
  if (!ends) return 'the end node does not exist';
  return 'both end nodes exist';
}

export async function verifyRelationshipEntry(context: VerifyContext, plan: GraphPlan, entry: RelationshipEntry): Promise<CheckedEntry> {
  const started = Date.now();
  const prepared = await prepareRead(context.snapshot, entry, 'relationships');
  const source = new EntrySource(context.snapshot, prepared);
  const ends = relationshipEnds(plan, entry);
  const target: RelationshipTarget = {
    type: entry.type,
    from: { labels: ends.from.labels, match: Object.keys(entry.from.match) },
    to: { labels: ends.to.labels, match: Object.keys(entry.to.match) },
  };
  const fromLength = target.from.match.length;
  const pairLength = fromLength + target.to.match.length;
  const pairOf = (values: unknown[]): { from: KeyValues; to: KeyValues } => ({
    from: keyValues(target.from.match, values.slice(0, fromLength)),
    to: keyValues(target.to.match, values.slice(fromLength, pairLength)),
  });
  const counts = await source.counts();
  const graphCount = await context.graph.relationshipCount(target);
  const shaper = compileRelationshipShaper(entry, ends, prepared.columns);
  const sampler = new Sampler(counts.expected, context.sample);
  const missing = new Tally();
  const missingPairs: unknown[][] = [];
  const duplicates = new Tally();
  const mismatches = new Tally();
  let records = 0;
  let skipped = 0;
  let relationshipsFound = 0;
  let compared = 0;
  let equal = 0;
  let sampledMissing = 0;
  const progress = (force = false) => context.progress({ entry: entry.id, kind: 'relationship', rows: records, total: counts.expected }, force);
  progress(true);

  for await (const rows of source.stream(context.batchSize)) {
    checkCancelled(context);
    const batch = shaper.shape(rows);
    skipped += batch.skippedNullMatch;
    const pairs = batch.rows.map((row) => row.slice(0, pairLength));
    const compare = batch.rows.map((_, i) => sampler.takes(records + i));
    const answers = pairs.length ? await context.graph.relationshipLookup(target, pairs, compare) : new Map<number, never>();
    const propertyColumns = batch.columns.slice(pairLength);
    batch.rows.forEach((row, i) => {
      const answer = answers.get(i);
      if (!answer) {
        if (missingPairs.length < MAX_EXAMPLES) missingPairs.push(pairs[i]);
        missing.count++;
        if (compare[i]) sampledMissing++;
        return;
      }
      relationshipsFound += answer.count;
      if (answer.count > 1) duplicates.add(() => ({ ...pairOf(pairs[i]), count: answer.count }));
      if (!compare[i] || !answer.properties) return;
      compared++;
      const differences = propertyDifferences(context.graph, 'relationship', propertyColumns, row.slice(pairLength), answer.properties);
      if (!differences.length) equal++;
      for (const difference of differences) mismatches.add(() => ({ ...pairOf(pairs[i]), ...difference }));
    });
    records += batch.rows.length;
    progress();
  }

  // say for each missing example whether its ends are there: a missing node and a missing link are different faults
  for (const pair of missingPairs) {
    const answer = await context.graph.endsExist(target, pair);
    const example: PairExample = { ...pairOf(pair), note: endNote(answer.starts, answer.ends) };
    missing.example(example);
  }

  const unexpectedCount = Math.max(0, graphCount - relationshipsFound);
  const unexpected = new Tally();
  if (unexpectedCount > 0) {
    const wanted = Math.min(MAX_EXAMPLES, unexpectedCount);
    const found = await unexpectedIdentities(
      context,
      source,
      context.graph.relationshipPairs(target),
      (rows) => Promise.resolve(shaper.shape(rows).rows.map((row) => row.slice(0, pairLength))),
      wanted,
    );
    for (const values of found) unexpected.example(pairOf(values));
  }

  const notes: string[] = [];
  if (counts.nullMatch) notes.push(`${counts.nullMatch} of ${counts.rows} rows have a NULL match column and make no relationship`);
  if (source.distinct && counts.expected < counts.rows - counts.nullMatch)
    notes.push(`${counts.rows - counts.nullMatch} rows, ${counts.expected} distinct pairs`);
  if (skipped) notes.push(`${skipped} rows have a match value the value rules leave absent`);
  const checks: CheckResult[] = [
    checkResult('count', records === graphCount, records, graphCount, [], notes.join('; ') || undefined),
    checkResult('missing', missing.count === 0, 0, missing.count, missing.examples),
    checkResult('unexpected', unexpectedCount === 0, 0, unexpectedCount, unexpected.examples, unexpectedNote(unexpectedCount, unexpected.examples.length)),
    checkResult(
      'duplicates',
      duplicates.count === 0,
      0,
      duplicates.count,
      duplicates.examples,
      duplicates.count ? 'pairs joined by more than one relationship' : undefined,
    ),
    propertiesCheck({ compared, equal, mismatches, sampler, total: records, sampledMissing, sample: context.sample }),
  ];
  progress(true);
  return {
    report: finishEntry(entry.id, 'relationship', entry.type, records, graphCount, checks, started, counts.rows),
    source,
    target: { rel: target },
    identityExample: pairOf,
  };
}
