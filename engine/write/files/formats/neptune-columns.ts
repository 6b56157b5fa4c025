/**
 * The typed property columns of the Neptune bulk-load formats (README, Offline exports: Neptune and ArangoDB): which Neptune type
 * each value rule becomes, and the text of each value. Neptune has no decimal, no local date-time, no date-only,
 * time, duration, bytes or point type, and its DateTime keeps milliseconds of an instant: everything it cannot
 * hold exactly is written as exact text in a String column. Lists are JSON text (Neptune's set cardinality
 * would lose their order and duplicates).
 */
import { Pg2GraphError } from '../../../core/errors';
import type { NodeEntry, RelationshipEntry } from '../../../plan/types';
import { ROW_HASH_PROPERTY } from '../../../plan/row-content';
import type { ValueRule } from '../../../values/rule-types';
import type { ExportFormatName } from '../format';
import { integerText, kindOf } from '../../../values/graph-kind';
import { describeKey } from '../../../values/graph-text';
import { base64Text, exactJson, floatText, isoText, pointText } from '../../../values/value-text';

export type NeptuneType = 'Long' | 'Double' | 'Bool' | 'String' | 'DateTime';

/** What differs between the two loader formats: the system columns and how a typed column is named. */
export interface NeptuneDialect {
  name: Extract<ExportFormatName, 'neptune-opencypher' | 'neptune-gremlin'>;
  /** The loader's `format` parameter. */
  loaderFormat: 'opencypher' | 'csv';
  nodeColumns: [id: string, label: string];
  relationshipColumns: [id: string, start: string, end: string, type: string];
  /**
   * Fraction digits a DateTime column holds: openCypher reads `yyyy-MM-ddTHH:mm:ss.SSSZ`, the Gremlin loader's
   * documented Date forms stop at whole seconds.
   */
  instantDigits: 0 | 3;
  /** The header of a property column. */
  header(name: string, type: NeptuneType, kind: 'nodes' | 'relationships'): string;
}

export interface NeptuneColumn {
  name: string;
  type: NeptuneType;
  /** The value rule the column holds (for messages). */
  rule: string;
  /** DateTime columns: fraction digits written (0 or 3). */
  digits: number;
}

/** Where a value sits, for EXPORT_VALUE_REFUSED. */
export interface ValueSite {
  entry: string;
  key: readonly unknown[];
  property: string;
}

/** Names the loaders' header grammar cannot hold: `:` (type separator), `,` and quotes (CSV), whitespace, `\`. */
const BAD_NAME = /[:,"'\\\s]/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function unsupported(format: string, entry: string, property: string, why: string): Pg2GraphError {
  return new Pg2GraphError('EXPORT_PLAN_UNSUPPORTED', `${format}: entry ${entry}, property "${property}": ${why}`, { entry, property });
}

/** Fractional-second digits of a timestamptz column ("timestamptz(3)" -> 3; no typmod: 6). */
function precisionOf(pgType: string | undefined): number {
  const match = /\((\d+)\)$/.exec(pgType ?? '');
  return match ? Number(match[1]) : 6;
}

function typeOf(rule: ValueRule, pgType: string | undefined, digits: number): NeptuneType {
  if (rule === 'integer') return 'Long';
  if (rule === 'float') return 'Double';
  if (rule === 'boolean') return 'Bool';
  // an instant the loader reads exactly (the offset is always UTC under the dateTime rule)
  if (rule === 'dateTime' && precisionOf(pgType) <= digits) return 'DateTime';
  return 'String';
}

/** Checks a header or label name; returns it. */
export function checkedName(format: string, entry: string, name: string, what: string): string {
  if (!name || BAD_NAME.test(name))
    throw unsupported(
      format,
      entry,
      name,
      `${what} names in the loader's CSV header cannot hold ":", ",", quotes, backslashes or whitespace; rename it in the plan`,
    );
  return name;
}

/** Node labels and relationship types: ";" separates labels in `:LABEL`/`~label`. */
export function checkedLabel(format: string, entry: string, label: string): string {
  if (!label || /[;\r\n]/.test(label))
    throw new Pg2GraphError(
      'EXPORT_PLAN_UNSUPPORTED',
      `${format}: entry ${entry}, label "${label}": ";" separates labels in the loader's label column; rename it in the plan`,
      {
        entry,
        label,
      },
    );
  return label;
}

/** The typed columns an entry's batches can carry, by property name; refuses what no Neptune column can hold. */
export function neptuneColumns(dialect: NeptuneDialect, entry: NodeEntry | RelationshipEntry): Map<string, NeptuneColumn> {
  const format = dialect.name;
  const columns = new Map<string, NeptuneColumn>();
  const add = (name: string, rule: ValueRule | undefined, pgType?: string) => {
    checkedName(format, entry.id, name, 'property');
    if (rule === undefined) throw unsupported(format, entry.id, name, 'a computed property without "as" has no fixed type for a typed column; give it "as"');
    if (rule === 'flatten')
      throw unsupported(format, entry.id, name, 'rule "flatten" makes columns per batch; typed CSV headers need them fixed: use "as": "string" (JSON text)');
    columns.set(name, { name, type: typeOf(rule, pgType, dialect.instantDigits), rule, digits: dialect.instantDigits });
  };
  for (const property of entry.properties) add(property.name, property.as, property.pgType);
  if ('computed' in entry) for (const property of entry.computed ?? []) add(property.name, property.as);
  if ('key' in entry && entry.keySource === 'rowContent' && !columns.has(ROW_HASH_PROPERTY)) add(ROW_HASH_PROPERTY, 'string');
  return columns;
}

function refused(site: ValueSite, column: NeptuneColumn, why: string): Pg2GraphError {
  return new Pg2GraphError(
    'EXPORT_VALUE_REFUSED',
    `entry ${site.entry}, key ${describeKey(site.key)}, property "${site.property}" (${column.type}, rule ${column.rule}): ${why}`,
    { entry: site.entry, key: describeKey(site.key), property: site.property },
  );
}

const two = (n: unknown) => String(n).padStart(2, '0');

/** `2024-02-29T23:59:59.123Z` (3 digits) or `2024-02-29T23:59:59Z` (0): the loader's fixed forms. */
function dateTimeText(value: unknown, site: ValueSite, column: NeptuneColumn): string {
  const time = value as {
    year: unknown;
    month: unknown;
    day: unknown;
    hour: unknown;
    minute: unknown;
    second: unknown;
    nanosecond: unknown;
    timeZoneOffsetSeconds?: unknown;
  };
  const year = Number(time.year);
  const nanosecond = Number(time.nanosecond);
  const unit = 10 ** (9 - column.digits);
  if (Number(time.timeZoneOffsetSeconds ?? 0) !== 0) throw refused(site, column, `${isoText(value)} has an offset; the dateTime rule gives UTC`);
  if (year < 1 || year > 9999) throw refused(site, column, `${isoText(value)}: Neptune's DateTime holds the years 0001 to 9999`);
  if (nanosecond % unit !== 0) throw refused(site, column, `${isoText(value)}: this column holds ${column.digits ? 'milliseconds' : 'whole seconds'}`);
  const fraction = column.digits ? `.${String(nanosecond / unit).padStart(column.digits, '0')}` : '';
  return `${String(year).padStart(4, '0')}-${two(time.month)}-${two(time.day)}T${two(time.hour)}:${two(time.minute)}:${two(time.second)}${fraction}Z`;
}

/** The text of one value in its column (null: no value, the empty unquoted field); refuses a value of another kind. */
export function neptuneText(column: NeptuneColumn, value: unknown, site: ValueSite): string | null {
  const kind = kindOf(value);
  if (kind === 'Absent') return null;
  switch (column.type) {
    case 'Long': {
      if (kind !== 'Integer') break;
      const text = integerText(value);
      const big = BigInt(text);
      if (big < INT64_MIN || big > INT64_MAX) throw refused(site, column, `${text} is beyond a 64-bit Long`);
      return text;
    }
    case 'Double':
      if (kind === 'Float') return floatText(value as number);
      break;
    case 'Bool':
      if (kind === 'Boolean') return value ? 'true' : 'false';
      break;
    case 'DateTime':
      if (kind === 'DateTime') return dateTimeText(value, site, column);
      if (kind === 'String')
        throw refused(site, column, `"${String(value)}" in a DateTime column: set the property's infinity policy to "null", or "as": "string"`);
      break;
    case 'String':
      return stringText(value, kind);
  }
  throw refused(site, column, `a ${kind} value in a ${column.type} column`);
}

function stringText(value: unknown, kind: ReturnType<typeof kindOf>): string {
  switch (kind) {
    case 'String':
      return value as string;
    case 'Integer':
      return integerText(value);
    case 'Float':
      return floatText(value as number);
    case 'Boolean':
      return String(value);
    case 'Bytes':
      return base64Text(value as ArrayBufferView);
    case 'Point':
      return pointText(value);
    case 'List':
    case 'Map':
      return exactJson(value, 'digits');
    default:
      return isoText(value);
  }
}
