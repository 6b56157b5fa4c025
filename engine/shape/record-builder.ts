/**
 * Builds positional records from text rows: one slot per property with its compiled converter; `flatten`
 * slots may add `<name>_<key>` columns as rows reveal new keys (a batch's columns are the union). A value a
 * rule cannot hold becomes a Pg2GraphError naming entry, column, the row's key and what is wrong; under
 * onInvalid "reject" the shapers turn that error into a RowReject and leave the row out.
 */
import { Pg2GraphError } from '../core/errors';
import type { RowReject } from '../core/records';
import type { PropertyMapping } from '../plan/types';
import { compileValue, type TextConverter } from '../values/convert';
import { isFlattened } from '../values/parse/json-flatten';
import { ValueError, preview } from '../values/value-error';

export interface Slot {
  /** Property name in the record. */
  name: string;
  /** Source column (for messages) and its position in the row batch; -1 for a slot filled by the caller (computed). */
  column: string;
  index: number;
  convert: TextConverter;
}

export interface BuiltRecords {
  columns: string[];
  rows: unknown[][];
}

/** Describes a row for messages: its key values as Postgres printed them. */
export type RowKeyText = (row: Array<string | null>) => string;

/** The longest value text a reject or an error carries. */
const VALUE_TEXT_MAX = 200;

export function conversionError(entry: string, column: string, key: string, error: unknown): Pg2GraphError {
  if (error instanceof ValueError) {
    return new Pg2GraphError('VALUE_INVALID', `entry "${entry}", column "${column}", row ${key}: ${error.kind}: ${preview(error.value)}`, {
      entry,
      column,
      key,
      kind: error.kind,
      value: error.value.slice(0, VALUE_TEXT_MAX),
    });
  }
  if (error instanceof Pg2GraphError) return error;
  const kind = (error as Error)?.message ?? String(error);
  return new Pg2GraphError('VALUE_INVALID', `entry "${entry}", column "${column}", row ${key}: ${kind}`, { entry, column, key, kind }, error);
}

/** A row whose key property is NULL: it cannot become a node. */
export function nullKeyError(entry: string, property: string, column: string, key: string, where: string): Pg2GraphError {
  const kind = `key property "${property}" (column "${column}") is NULL; every node needs its whole key`;
  return new Pg2GraphError('SHAPE_KEY_NULL', `entry "${entry}", ${where}: ${kind}`, { entry, key, column, property, kind });
}

/**
 * The reject a row-level error stands for: a value its rule cannot hold (VALUE_INVALID) or a NULL key
 * (SHAPE_KEY_NULL). Anything else (a plan or batch problem) is no reject: it fails the batch whatever onInvalid says.
 */
export function rejectOf(error: unknown): RowReject | undefined {
  if (!(error instanceof Pg2GraphError) || (error.code !== 'VALUE_INVALID' && error.code !== 'SHAPE_KEY_NULL')) return undefined;
  const d = error.details as { entry?: unknown; key?: unknown; column?: unknown; value?: unknown; kind?: unknown };
  if (typeof d.entry !== 'string' || typeof d.key !== 'string' || typeof d.column !== 'string') return undefined;
  const reject: RowReject = { entry: d.entry, key: d.key, column: d.column, reason: typeof d.kind === 'string' ? d.kind : error.message };
  if (typeof d.value === 'string') reject.value = d.value;
  return reject;
}

export function columnIndex(entry: string, columns: string[], column: string, what: string): number {
  const index = columns.indexOf(column);
  if (index < 0) {
    throw new Pg2GraphError(
      'SHAPE_COLUMN_MISSING',
      `entry "${entry}": the row batch has no column "${column}" (${what}); it has ${columns.map((c) => `"${c}"`).join(', ')}`,
      { entry, column },
    );
  }
  return index;
}

/** A slot for a plan property mapping read from `columns`. */
export function propertySlot(entry: string, table: string | undefined, columns: string[], property: PropertyMapping, name = property.name): Slot {
  return {
    name,
    column: property.column,
    index: columnIndex(entry, columns, property.column, `property "${property.name}"`),
    convert: compileValue(property, { entry, table, column: property.column }),
  };
}

/** The fixed layout of an entry's records; `batch()` starts the records of one batch (safe to run batches concurrently). */
export class RecordBuilder {
  readonly names: string[];

  constructor(
    private readonly entry: string,
    private readonly slots: Slot[],
    private readonly keyText: RowKeyText,
  ) {
    this.names = slots.map((s) => s.name);
  }

  batch(): BatchRecords {
    return new BatchRecords(this.entry, this.slots, this.names, this.keyText);
  }
}

export class BatchRecords {
  private readonly columns: string[];
  private readonly positions: Map<string, number>;
  private readonly fixed: number;
  private readonly rows: unknown[][] = [];

  constructor(
    private readonly entry: string,
    private readonly slots: Slot[],
    names: string[],
    private readonly keyText: RowKeyText,
  ) {
    this.columns = [...names];
    this.positions = new Map(names.map((name, i) => [name, i]));
    this.fixed = names.length;
  }

  /** The record of one row (kept for finish()); throws naming the column and the row's key. */
  build(row: Array<string | null>): unknown[] {
    const out: unknown[] = new Array(this.columns.length).fill(null);
    for (let s = 0; s < this.slots.length; s++) {
      const slot = this.slots[s];
      if (slot.index < 0) continue;
      const text = row[slot.index];
      if (text === null) continue;
      let value: unknown;
      try {
        value = slot.convert(text);
      } catch (error) {
        throw conversionError(this.entry, slot.column, this.keyText(row), error);
      }
      if (isFlattened(value)) {
        if (value.self !== undefined) out[s] = value.self;
        for (const [key, member] of value.members) out[this.flatPosition(slot, key)] = member;
      } else {
        out[s] = value;
      }
    }
    this.rows.push(out);
    return out;
  }

  /** Records built so far. */
  get size(): number {
    return this.rows.length;
  }

  /** Drops the records built after the first `size` (rows that make no record after all). */
  truncate(size: number): void {
    this.rows.length = size;
  }

  private flatPosition(slot: Slot, key: string): number {
    const name = `${slot.name}_${key}`;
    let position = this.positions.get(name);
    if (position === undefined) {
      position = this.columns.length;
      this.columns.push(name);
      this.positions.set(name, position);
    } else if (position < this.fixed) {
      throw new Pg2GraphError(
        'SHAPE_FLATTEN_COLLISION',
        `entry "${this.entry}", column "${slot.column}": flattened member "${key}" would be property "${name}", which the entry already has`,
        { entry: this.entry, column: slot.column, property: name },
      );
    }
    return position;
  }

  /** Columns and rows of the batch; rows built before later rows added flattened columns are padded. */
  finish(): BuiltRecords {
    const width = this.columns.length;
    for (const row of this.rows) while (row.length < width) row.push(null);
    return { columns: this.columns, rows: this.rows };
  }
}
