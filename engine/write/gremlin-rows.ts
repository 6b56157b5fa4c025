/**
 * Record batches as the Gremlin target's element rows: ids from labels and keys, values in the Gremlin encoding
 * (gremlin/values.ts), and a value the encoding cannot hold refused by name (entry, batch, key, property) before
 * anything is sent.
 */
import { Pg2GraphError } from '../core/errors';
import type { NodeBatch, RelationshipBatch } from '../core/records';
import { vertexId } from '../gremlin/ids';
import { gremlinProperty, gremlinScalar, GremlinValueRefused, describeGremlinValue, type GremlinScalar } from '../gremlin/values';
import type { ElementRow } from '../gremlin/traversals';
import type { GremlinProperty } from '../gremlin/values';
import { describeKey } from '../values/graph-text';
import { describeBatch } from './describe';

function refused(batch: NodeBatch | RelationshipBatch, row: unknown[], keyLength: number, column: string, error: unknown): Pg2GraphError {
  const key = describeKey(row.slice(0, keyLength));
  return new Pg2GraphError(
    'WRITE_VALUE_REFUSED',
    `${describeBatch(batch.batch)}: row with key ${key}, property "${column}": ${(error as Error).message}; the Gremlin target cannot store it (README.md, Gremlin: values)`,
    { entry: batch.batch.entry, key, property: column },
  );
}

function encode(
  batch: NodeBatch | RelationshipBatch,
  row: unknown[],
  keyLength: number,
  column: string,
  value: unknown,
  element: 'vertex' | 'edge',
): GremlinProperty {
  try {
    return gremlinProperty(value, element);
  } catch (error) {
    if (error instanceof GremlinValueRefused) throw refused(batch, row, keyLength, column, error);
    throw error;
  }
}

/** A node batch's rows: the id from the primary label and the key, every column (the key's too) a property. */
export function vertexRows(batch: NodeBatch): ElementRow[] {
  const label = batch.labels[0];
  const keyLength = batch.key.length;
  return batch.rows.map((row) => ({
    id: vertexId(label, row.slice(0, keyLength)),
    properties: batch.columns.map((column, i) => encode(batch, row, keyLength, column, row[i], 'vertex')),
  }));
}

/** The properties of a relationship row (after both ends' match values). */
export function edgeProperties(batch: RelationshipBatch, row: unknown[]): GremlinProperty[] {
  const offset = batch.from.match.length + batch.to.match.length;
  return batch.columns.slice(offset).map((column, i) => encode(batch, row, offset, column, row[offset + i], 'edge'));
}

/** Match values as one text: graph values encoded first, so they equal the text of what the server holds (foundMatchText). */
export function matchText(values: readonly unknown[]): string {
  return foundMatchText(values.map((value) => safeScalar(value)));
}

/** Values read back from the server (already in the Gremlin encoding) as one text. */
export function foundMatchText(values: readonly unknown[]): string {
  return values.map((value) => describeGremlinValue(value)).join('\u0000');
}

/** The Gremlin encoding of a match value; one the encoding refuses can match no vertex. */
export function safeScalar(value: unknown): GremlinScalar | undefined {
  try {
    return gremlinScalar(value);
  } catch {
    return undefined;
  }
}
