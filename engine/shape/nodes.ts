/**
 * Rows -> node records (see README, Reading and shaping): key properties first, then the plan's properties (renamed), then computed
 * properties; NULL -> null, which means "property absent". Compiled once per entry and column layout.
 */
import { Pg2GraphError } from '../core/errors';
import type { NodeEntry } from '../plan/types';
import type { NodeBatch, OnInvalid, RowBatch, RowReject } from '../core/records';
import { ROW_HASH_ALIAS, columnProperties } from '../plan/entry-columns';
import { readTypeLabel } from '../values/type-label';
import { compileComputed, type CompiledComputed } from './computed';
import { nodeLabels } from '../plan/ends';
import { toJsNative } from '../values/js-native';
import { cached } from './cache';
import { columnIndex, conversionError, nullKeyError, propertySlot, RecordBuilder, rejectOf, type Slot } from './record-builder';

export interface ShapeOptions {
  /** A row with a value its rule cannot hold (or a NULL key): left out and listed in `rejects` (default), or the batch fails. */
  onInvalid?: OnInvalid;
}

export interface NodeShaper {
  shape(rows: RowBatch, options?: ShapeOptions): Promise<NodeBatch>;
}

function checkEntry(entry: NodeEntry): void {
  if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string' || !Array.isArray(entry.properties) || !Array.isArray(entry.key)) {
    throw new Pg2GraphError('SHAPE_ENTRY_INVALID', 'a node entry needs "id", "label", "key" and "properties" (msg.entry of a plan)');
  }
  if (typeof entry.label !== 'string' || !entry.label) {
    throw new Pg2GraphError('SHAPE_ENTRY_INVALID', `entry "${entry.id}": "label" must be a non-empty string`, { entry: entry.id });
  }
  if (!entry.key.length) throw new Pg2GraphError('SHAPE_ENTRY_INVALID', `entry "${entry.id}": "key" names no property`, { entry: entry.id });
}

export function compileNodeShaper(entry: NodeEntry, columns: string[]): NodeShaper {
  checkEntry(entry);
  const id = entry.id;
  const table = entry.table ? `${entry.table.schema}.${entry.table.name}` : undefined;
  const properties = columnProperties(entry);
  const keySlots: Slot[] = entry.key.map((name) => {
    if (entry.keySource === 'rowContent') {
      return { name, column: ROW_HASH_ALIAS, index: columnIndex(id, columns, ROW_HASH_ALIAS, `row-content key "${name}"`), convert: (text) => text };
    }
    const property = properties.find((p) => p.name === name);
    if (!property)
      throw new Pg2GraphError('SHAPE_ENTRY_INVALID', `entry "${id}": key property "${name}" is not one of its properties`, { entry: id, key: name });
    return propertySlot(id, table, columns, property);
  });
  const otherSlots = properties.filter((p) => !entry.key.includes(p.name)).map((p) => propertySlot(id, table, columns, p));
  const computed: CompiledComputed[] = compileComputed(id, entry.computed ?? []);
  const names = new Set<string>();
  for (const name of [...keySlots, ...otherSlots].map((s) => s.name).concat(computed.map((c) => c.name))) {
    if (names.has(name)) throw new Pg2GraphError('SHAPE_NAME_COLLISION', `entry "${id}": property "${name}" is defined twice`, { entry: id, property: name });
    names.add(name);
  }
  const computedSlots: Slot[] = computed.map((c) => ({ name: c.name, column: `computed ${c.name}`, index: -1, convert: () => null }));
  const slots = [...keySlots, ...otherSlots, ...computedSlots];
  const keyIndexes = keySlots.map((s) => s.index);
  const keyText = (row: Array<string | null>) => JSON.stringify(keyIndexes.map((i) => row[i]));
  const builder = new RecordBuilder(id, slots, keyText);
  const firstComputed = keySlots.length + otherSlots.length;

  // what an expression sees: every non-NULL column by name; mapped ones converted (json parsed), others as text
  const bySourceColumn = new Map<string, { slot: number; json: boolean; flatten: boolean }>();
  [...keySlots, ...otherSlots].forEach((slot, i) => {
    const property = properties.find((p) => p.column === slot.column && p.name === slot.name);
    const type = readTypeLabel(property?.pgType ?? '').name;
    if (!bySourceColumn.has(slot.column))
      bySourceColumn.set(slot.column, { slot: i, json: type === 'json' || type === 'jsonb', flatten: property?.as === 'flatten' });
  });
  const inputOf = (row: Array<string | null>, record: unknown[]): Record<string, unknown> => {
    const input: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      if (column === ROW_HASH_ALIAS) return;
      const text = row[i];
      const mapped = bySourceColumn.get(column);
      // a NULL column is simply absent: JSONata's "no value", which functions and paths pass along
      if (text === null) return;
      if (mapped && (mapped.json || mapped.flatten)) input[column] = JSON.parse(text);
      else input[column] = mapped ? toJsNative(record[mapped.slot]) : text;
    });
    return input;
  };

  return {
    async shape(batch: RowBatch, options: ShapeOptions = {}): Promise<NodeBatch> {
      const records = builder.batch();
      const rejects: RowReject[] = [];
      for (let r = 0; r < batch.rows.length; r++) {
        const row = batch.rows[r];
        const before = records.size;
        try {
          const record = records.build(row);
          for (let k = 0; k < keySlots.length; k++) {
            if (record[k] === null)
              throw nullKeyError(id, keySlots[k].name, keySlots[k].column, keyText(row), `row ${r} of batch ${batch.batch?.index ?? '?'}`);
          }
          if (computed.length) {
            const input = inputOf(row, record);
            for (let c = 0; c < computed.length; c++) {
              try {
                record[firstComputed + c] = await computed[c].evaluate(input);
              } catch (error) {
                throw conversionError(id, `computed ${computed[c].name}`, keyText(row), error);
              }
            }
          }
        } catch (error) {
          const reject = options.onInvalid === 'fail' ? undefined : rejectOf(error);
          if (!reject) throw error;
          records.truncate(before);
          rejects.push(reject);
        }
      }
      const built = records.finish();
      const shaped: NodeBatch = { kind: 'nodes', labels: nodeLabels(entry), key: [...entry.key], columns: built.columns, rows: built.rows, batch: batch.batch };
      if (rejects.length) shaped.rejects = rejects;
      return shaped;
    },
  };
}

/** Shapes one row batch of a node entry (the compiled shaper is reused for the entry's next batches). */
export async function shapeNodes(entry: NodeEntry, rows: RowBatch, options?: ShapeOptions): Promise<NodeBatch> {
  checkRows(rows);
  checkOnInvalid(options?.onInvalid);
  return cached('nodes', entry, rows.columns, () => compileNodeShaper(entry, rows.columns)).shape(rows, options);
}

/** onInvalid is a setting users type (a node's dialog, a flag): anything but the two words is refused by name. */
export function checkOnInvalid(value: unknown): void {
  if (value !== undefined && value !== 'reject' && value !== 'fail') {
    throw new Pg2GraphError('SHAPE_SETTING_INVALID', `onInvalid must be "reject" or "fail", got ${JSON.stringify(value)}`, { setting: 'onInvalid' });
  }
}

export function checkRows(rows: RowBatch): void {
  if (!rows || rows.kind !== 'rows' || !Array.isArray(rows.columns) || !Array.isArray(rows.rows)) {
    throw new Pg2GraphError('SHAPE_ROWS_INVALID', 'expected a RowBatch ({ kind: "rows", columns, rows, batch }) as produced by the read node');
  }
}
