/**
 * Rows -> relationship records (see README, Reading and shaping): [from match values..., to match values..., properties...].
 * Match values are converted with the rule of the end node's property they match (so they equal the end's
 * key exactly); a row with a NULL match column makes no relationship and is counted in skippedNullMatch.
 */
import { Pg2GraphError } from '../core/errors';
import { ROW_HASH_ALIAS } from '../plan/entry-columns';
import type { RelationshipEntry } from '../plan/types';
import type { RelationshipBatch, RowBatch, RowReject } from '../core/records';
import { cached } from './cache';
import type { EndInfo, RelationshipEnds } from '../plan/ends';
import { checkOnInvalid, checkRows, type ShapeOptions } from './nodes';
import { columnIndex, propertySlot, RecordBuilder, rejectOf, type Slot } from './record-builder';
import { compileValue } from '../values/convert';

export interface RelationshipShaper {
  shape(rows: RowBatch, options?: ShapeOptions): RelationshipBatch;
}

function checkEntry(entry: RelationshipEntry, ends: RelationshipEnds): void {
  if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string' || !entry.from?.match || !entry.to?.match || !Array.isArray(entry.properties)) {
    throw new Pg2GraphError('SHAPE_ENTRY_INVALID', 'a relationship entry needs "id", "type", "from", "to" and "properties" (msg.entry of a plan)');
  }
  if (typeof entry.type !== 'string' || !entry.type) {
    throw new Pg2GraphError('SHAPE_ENTRY_INVALID', `entry "${entry.id}": "type" must be a non-empty string`, { entry: entry.id });
  }
  for (const side of ['from', 'to'] as const) {
    if (!ends?.[side] || !Array.isArray(ends[side].labels) || !ends[side].labels.length) {
      throw new Pg2GraphError('SHAPE_ENDS_MISSING', `entry "${entry.id}": the labels of the "${side}" end are missing (msg.ends, set by the read node)`, {
        entry: entry.id,
        side,
      });
    }
  }
}

function matchSlots(entry: RelationshipEntry, side: 'from' | 'to', end: EndInfo, columns: string[], table: string): Slot[] {
  return Object.entries(entry[side].match).map(([name, column]) => {
    if (column === ROW_HASH_ALIAS) {
      // the end is keyed by row content: the key text the reader computed, as the node shaper stores it
      return { name, column, index: columnIndex(entry.id, columns, column, `${side} match "${name}"`), convert: (text: string) => text };
    }
    const property = end.properties?.find((p) => p.name === name);
    if (!property) {
      throw new Pg2GraphError(
        'SHAPE_ENDS_MISSING',
        `entry "${entry.id}": the value rule of ${side} property "${name}" is unknown; msg.ends.${side}.properties must hold the end node's mapping of it (the read node sets it)`,
        { entry: entry.id, side, property: name },
      );
    }
    return {
      name,
      column,
      index: columnIndex(entry.id, columns, column, `${side} match "${name}"`),
      // the end's rule and policies, applied to this table's column
      convert: compileValue(property, { entry: entry.id, table, column }),
    };
  });
}

export function compileRelationshipShaper(entry: RelationshipEntry, ends: RelationshipEnds, columns: string[]): RelationshipShaper {
  checkEntry(entry, ends);
  const table = `${entry.source.table.schema}.${entry.source.table.name}`;
  const from = matchSlots(entry, 'from', ends.from, columns, table);
  const to = matchSlots(entry, 'to', ends.to, columns, table);
  const properties = entry.properties.map((p) => propertySlot(entry.id, table, columns, p));
  const matches = [...from, ...to];
  const matchIndexes = matches.map((s) => s.index);
  const keyText = (row: Array<string | null>) => JSON.stringify({ from: from.map((s) => row[s.index]), to: to.map((s) => row[s.index]) });
  const builder = new RecordBuilder(entry.id, [...matches, ...properties], keyText);
  return {
    shape(batch: RowBatch, options: ShapeOptions = {}): RelationshipBatch {
      const records = builder.batch();
      const rejects: RowReject[] = [];
      let skipped = 0;
      for (const row of batch.rows) {
        if (matchIndexes.some((i) => row[i] === null)) {
          skipped++;
          continue;
        }
        const before = records.size;
        let record: unknown[];
        try {
          record = records.build(row);
        } catch (error) {
          const reject = options.onInvalid === 'fail' ? undefined : rejectOf(error);
          if (!reject) throw error;
          rejects.push(reject);
          continue;
        }
        // a match value a policy turned into "absent" cannot match either
        for (let m = 0; m < matches.length; m++) {
          if (record[m] === null) {
            records.truncate(before);
            skipped++;
            break;
          }
        }
      }
      const built = records.finish();
      const shaped: RelationshipBatch = {
        kind: 'relationships',
        type: entry.type,
        from: { labels: [...ends.from.labels], match: from.map((s) => s.name) },
        to: { labels: [...ends.to.labels], match: to.map((s) => s.name) },
        columns: built.columns,
        rows: built.rows,
        skippedNullMatch: skipped,
        batch: batch.batch,
      };
      if (rejects.length) shaped.rejects = rejects;
      return shaped;
    },
  };
}

/** Shapes one row batch of a relationship entry (compiled once per entry and column layout). */
export function shapeRelationships(entry: RelationshipEntry, ends: RelationshipEnds, rows: RowBatch, options?: ShapeOptions): RelationshipBatch {
  checkRows(rows);
  checkOnInvalid(options?.onInvalid);
  return cached('relationships', { entry, ends }, rows.columns, () => compileRelationshipShaper(entry, ends, rows.columns)).shape(rows, options);
}
