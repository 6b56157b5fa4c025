/**
 * Checks a record batch before anything is sent: its shape, a value for every key, and that every property
 * value is one Neo4j can store. A problem is a Pg2GraphError naming the entry, the batch, the row's key and the
 * property, which is far more useful than the server's message about the whole batch.
 */
import { Pg2GraphError } from '../core/errors';
import type { BatchInfo, NodeBatch, RelationshipBatch } from '../core/records';
import { checkName } from '../cypher/names';
import { kindOf, type GraphValueKind } from '../values/graph-kind';
import { describeBatch } from './describe';
import { describeKey, describeValue } from '../values/graph-text';

/** The kinds a property can store (a list property: a list of one of them, bytes excepted). */
type Kind = Exclude<GraphValueKind, 'Absent' | 'List' | 'Map'>;

/** The storable kind of a single (non-null, non-list) value, or a reason why it cannot be stored. */
function scalarKind(value: unknown): Kind | { problem: string } {
  const kind = kindOf(value);
  if (kind === 'Bytes' && !(value instanceof Int8Array)) {
    return { problem: 'a byte buffer other than Int8Array (the driver would send a list of numbers): use an Int8Array' };
  }
  if (kind !== 'Map' && kind !== 'Absent' && kind !== 'List') return kind;
  if (value instanceof Date) return { problem: 'a JavaScript Date (the driver would send an empty map): use a neo4j temporal type' };
  if (typeof value === 'function' || typeof value === 'symbol') return { problem: `a ${typeof value}` };
  return { problem: 'a map (object), which cannot be a property: store it as JSON text or flatten it' };
}

/** A kind as the messages name it: "integer", "localDateTime". */
function kindName(kind: Kind): string {
  return kind.charAt(0).toLowerCase() + kind.slice(1);
}

/** Why a property value cannot be stored, or undefined when it can (null means: property absent). */
export function valueProblem(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) {
    const kind = scalarKind(value);
    return typeof kind === 'string' ? undefined : kind.problem;
  }
  let listKind: Kind | undefined;
  const list: unknown[] = value;
  for (let i = 0; i < list.length; i += 1) {
    const element = list[i];
    if (element === null || element === undefined) return `a list with a null element at position ${i}`;
    if (Array.isArray(element)) return `a list of lists (position ${i})`;
    const kind = scalarKind(element);
    if (typeof kind !== 'string') return `a list holding ${kind.problem} at position ${i}`;
    if (kind === 'Bytes') return `a list holding bytes at position ${i}`;
    if (listKind && kind !== listKind)
      return `a list of mixed types (${kindName(listKind)} and ${kindName(kind)} at position ${i}); a list property holds one type`;
    listKind = kind;
  }
  return undefined;
}

function keyProblem(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'is null';
  if (Array.isArray(value)) return 'is a list; a key value must be a single value';
  return valueProblem(value);
}

function invalid(info: Pick<BatchInfo, 'entry' | 'index'>, problem: string): Pg2GraphError {
  return new Pg2GraphError('WRITE_INPUT_INVALID', `${describeBatch(info)}: ${problem}`, { entry: info.entry, batch: info.index });
}

function checkInfo(info: unknown, kind: string): BatchInfo {
  const batch = info as Partial<BatchInfo> | undefined;
  if (!batch || typeof batch.entry !== 'string' || !batch.entry || typeof batch.index !== 'number') {
    throw new Pg2GraphError(
      'WRITE_INPUT_INVALID',
      `A ${kind} batch needs batch info (batch.entry, batch.index, batch.run, batch.seq); got ${JSON.stringify(batch ?? null)}`,
    );
  }
  return batch as BatchInfo;
}

function checkRows(info: BatchInfo, rows: unknown, width: number): unknown[][] {
  if (!Array.isArray(rows)) throw invalid(info, 'rows must be a list of positional rows');
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw invalid(info, `row ${i} must be a list of ${width} values (one per column), got ${Array.isArray(row) ? `${row.length} values` : typeof row}`);
    }
  });
  return rows as unknown[][];
}

function checkNames(names: unknown, what: string, entry: string): string[] {
  if (!Array.isArray(names)) throw new Pg2GraphError('WRITE_INPUT_INVALID', `Entry "${entry}": ${what} must be a list of names`, { entry });
  return names.map((name) => checkName(name, what, entry));
}

/** The values of one row: key values present and single, every other value storable. */
function checkRowValues(
  info: BatchInfo,
  row: unknown[],
  rowIndex: number,
  columns: string[],
  keyLength: number,
  keyOfRow: (row: unknown[]) => unknown[],
): void {
  for (let c = 0; c < row.length; c += 1) {
    const value = row[c];
    if (c < keyLength) {
      const problem = keyProblem(value);
      if (problem) {
        throw new Pg2GraphError(
          value === null || value === undefined ? 'WRITE_KEY_MISSING' : 'WRITE_KEY_INVALID',
          `${describeBatch(info)}: row ${rowIndex} (key ${describeKey(keyOfRow(row))}): key property "${columns[c]}" ${problem}`,
          { entry: info.entry, batch: info.index, row: rowIndex, property: columns[c] },
        );
      }
    } else if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      const problem = valueProblem(value);
      if (problem) {
        throw new Pg2GraphError(
          'WRITE_VALUE_REFUSED',
          `${describeBatch(info)}: row ${rowIndex} (key ${describeKey(keyOfRow(row))}): property "${columns[c]}" holds ${problem} (value ${describeValue(value)})`,
          { entry: info.entry, batch: info.index, row: rowIndex, property: columns[c] },
        );
      }
    }
  }
}

export function checkNodeBatch(batch: NodeBatch): void {
  const info = checkInfo(batch?.batch, 'node');
  const labels = checkNames(batch.labels, 'a label', info.entry);
  if (!labels.length) throw invalid(info, 'a node batch needs at least one label');
  const key = checkNames(batch.key, 'a key property name', info.entry);
  if (!key.length) throw invalid(info, 'a node batch needs at least one key property');
  const columns = checkNames(batch.columns, 'a property name', info.entry);
  key.forEach((name, i) => {
    if (columns[i] !== name)
      throw invalid(info, `columns must start with the key properties (${key.join(', ')}), got ${columns.slice(0, key.length).join(', ')}`);
  });
  if (new Set(columns).size !== columns.length) throw invalid(info, `a property name appears twice in columns (${columns.join(', ')})`);
  const rows = checkRows(info, batch.rows, columns.length);
  const keyOf = (row: unknown[]) => row.slice(0, key.length);
  rows.forEach((row, i) => checkRowValues(info, row, i, columns, key.length, keyOf));
}

export function checkRelationshipBatch(batch: RelationshipBatch): void {
  const info = checkInfo(batch?.batch, 'relationship');
  checkName(batch.type, 'the relationship type', info.entry);
  for (const end of ['from', 'to'] as const) {
    const ref = batch[end];
    if (!ref || typeof ref !== 'object') throw invalid(info, `"${end}" must name the end's labels and match properties`);
    if (!checkNames(ref.labels, `a label of "${end}"`, info.entry).length) throw invalid(info, `"${end}" needs at least one label`);
    if (!checkNames(ref.match, `a match property of "${end}"`, info.entry).length) throw invalid(info, `"${end}" needs at least one match property`);
  }
  const columns = checkNames(batch.columns, 'a column name', info.entry);
  const matchLength = batch.from.match.length + batch.to.match.length;
  if (columns.length < matchLength) throw invalid(info, `columns must start with from.match and to.match (${matchLength} names), got ${columns.length}`);
  const propertyNames = columns.slice(matchLength);
  if (new Set(propertyNames).size !== propertyNames.length)
    throw invalid(info, `a relationship property appears twice in columns (${propertyNames.join(', ')})`);
  const rows = checkRows(info, batch.rows, columns.length);
  const keyOf = (row: unknown[]) => row.slice(0, matchLength);
  rows.forEach((row, i) => checkRowValues(info, row, i, columns, matchLength, keyOf));
}
