/**
 * Examples of graph records the source does not have. Only called when the counts say there are some: streams
 * the graph's identities (node keys, relationship end values), looks each batch up in the source and keeps
 * those no source row makes, until it has enough examples.
 */
import type { RowBatch } from '../core/records';
import { identityText } from './keys';
import { postgresInputText } from './pg-input';
import type { EntrySource } from './source';
import { checkCancelled, type VerifyContext } from './context';

/** Source lookups per batch of graph identities (an OR of equalities: a few hundred keep the statement cheap). */
const LOOKUP_BATCH = 500;

export async function unexpectedIdentities(
  context: VerifyContext,
  source: EntrySource,
  graphIdentities: AsyncIterable<unknown[]>,
  /** The identity values shaping makes of source rows. */
  shapeIdentities: (rows: RowBatch) => Promise<unknown[][]>,
  wanted: number,
): Promise<unknown[][]> {
  const found: unknown[][] = [];
  let batch: unknown[][] = [];
  const check = async () => {
    checkCancelled(context);
    const lookups: Array<Array<string | null>> = [];
    const candidates: unknown[][] = [];
    for (const values of batch) {
      const texts = values.map(postgresInputText);
      // a value no column can hold (a list, a map) is in no source row
      if (texts.some((t) => t === undefined)) found.push(values);
      else {
        lookups.push(texts as Array<string | null>);
        candidates.push(values);
      }
    }
    const known = new Set((await shapeIdentities(await source.rowsWithIdentity(lookups))).map(identityText));
    for (const values of candidates) if (!known.has(identityText(values))) found.push(values);
    batch = [];
  };
  for await (const values of graphIdentities) {
    batch.push(values);
    if (batch.length >= LOOKUP_BATCH) await check();
    if (found.length >= wanted) break;
  }
  if (batch.length && found.length < wanted) await check();
  return found.slice(0, wanted);
}
