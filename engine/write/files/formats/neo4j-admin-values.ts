/**
 * Values as `neo4j-admin database import` reads them (see README, Offline exports: neo4j-admin): the header type
 * of each value rule, and the text of one value under it. A value the typed column cannot hold exactly (a
 * string in a date column, an empty list, which the tool reads as no property) is refused with the reason;
 * the caller names entry, row and property.
 */
import neo4j, { type Duration, type Point } from 'neo4j-driver';
import { bytesOf, integerText, kindOf, type GraphValueKind } from '../../../values/graph-kind';
import type { ScalarRule, ValueRule } from '../../../values/rule-types';

/** The tool's default array delimiter is ';', which text lists hold often; U+001F (unit separator) almost never. */
export const DEFAULT_ARRAY_DELIMITER = '\u001f';

/** A typed column of a header: its type name and the graph value kind every value in it must have. */
export interface ColumnType {
  /** `long`, `date`, `string[]`, `byte[]`, ... */
  header: string;
  kind: Exclude<GraphValueKind, 'Absent' | 'List' | 'Map'>;
  list: boolean;
}

const SCALARS: Record<Exclude<ScalarRule, 'flatten'>, Omit<ColumnType, 'list'>> = {
  integer: { header: 'long', kind: 'Integer' },
  float: { header: 'double', kind: 'Float' },
  string: { header: 'string', kind: 'String' },
  boolean: { header: 'boolean', kind: 'Boolean' },
  date: { header: 'date', kind: 'Date' },
  localDateTime: { header: 'localdatetime', kind: 'LocalDateTime' },
  dateTime: { header: 'datetime', kind: 'DateTime' },
  localTime: { header: 'localtime', kind: 'LocalTime' },
  time: { header: 'time', kind: 'Time' },
  duration: { header: 'duration', kind: 'Duration' },
  point: { header: 'point', kind: 'Point' },
  bytes: { header: 'byte[]', kind: 'Bytes' },
};

/** The column type of a rule, or why the format cannot have one (flatten: batch-dependent columns; lists of bytes). */
export function columnType(rule: ValueRule): ColumnType | { problem: string } {
  const list = /^list<(\w+)>$/.exec(rule);
  const scalar = (list ? list[1] : rule) as ScalarRule;
  if (scalar === 'flatten') return { problem: 'rule "flatten" makes columns per batch (<name>_<key>), which one header per entry cannot name' };
  const type = SCALARS[scalar];
  if (!type) return { problem: `rule "${rule}" has no neo4j-admin type` };
  if (list && scalar === 'bytes') return { problem: 'a list of bytes has no neo4j-admin type (byte[] is one byte array)' };
  return { header: list ? `${type.header}[]` : type.header, kind: type.kind, list: !!list };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A refused value: the reason, for the caller to turn into EXPORT_VALUE_REFUSED naming entry, row and property. */
export class RefusedValue extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function integer(value: unknown): string {
  // a neo4j Integer is 64 bits; a bigint may be more, and the tool wraps an out-of-range long silently (exit code 0)
  if (typeof value !== 'bigint') return integerText(value);
  if (value < INT64_MIN || value > INT64_MAX) throw new RefusedValue(`integer ${value} is beyond the 64-bit range of a long`);
  return value.toString();
}

/** Shortest text that reads back as the same double (Java parses decimal text exactly); -0 keeps its sign. */
function float(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  return String(value);
}

/** Seconds and nanoseconds (nanoseconds in [0, 1e9)) as one signed decimal: -4 s + 0.5e9 ns is "-3.5". */
function secondsText(seconds: bigint, nanos: bigint): string {
  const total = seconds * 1_000_000_000n + nanos;
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${abs / 1_000_000_000n}${fraction ? `.${fraction}` : ''}`;
}

/** Months, days and seconds kept apart (`P-14M3DT-14706.000001S`), as Neo4j stores a Duration. */
function duration(value: Duration): string {
  return `P${integerText(value.months)}M${integerText(value.days)}DT${secondsText(BigInt(integerText(value.seconds)), BigInt(integerText(value.nanoseconds)))}S`;
}

const CRS: Record<number, string> = { 7203: 'cartesian', 9157: 'cartesian-3d', 4326: 'WGS-84', 4979: 'WGS-84-3d' };

function point(value: Point): string {
  const crs = CRS[Number(value.srid)];
  if (!crs) throw new RefusedValue(`a point of SRID ${String(value.srid)}, which neo4j-admin has no CRS name for`);
  const coordinates = value.z === undefined ? [value.x, value.y] : [value.x, value.y, value.z];
  if (coordinates.some((c) => !Number.isFinite(c))) throw new RefusedValue('a point with a NaN or infinite coordinate, which neo4j-admin cannot read');
  const [x, y, z] = coordinates.map(float);
  return `{crs:${crs},x:${x},y:${y}${z === undefined ? '' : `,z:${z}`}}`;
}

function kindName(kind: GraphValueKind): string {
  return kind.charAt(0).toLowerCase() + kind.slice(1);
}

/** The text of one element (or scalar) of the column's kind. */
function scalar(value: unknown, type: ColumnType): string {
  // the common kinds first, without kindOf's chain of checks
  if (type.kind === 'String' && typeof value === 'string') return value;
  if (type.kind === 'Float' && typeof value === 'number') return float(value);
  if (type.kind === 'Integer' && neo4j.isInt(value)) return value.toString();
  const kind = kindOf(value);
  if (kind !== type.kind) {
    throw new RefusedValue(
      `a ${kindName(kind)} value in a ${type.header} column (its rule makes ${kindName(type.kind)} values; a policy such as infinity "string" or nullElements "json" makes text, which a typed column cannot hold)`,
    );
  }
  switch (kind) {
    case 'Integer':
      return integer(value);
    case 'Float':
      return float(value as number);
    case 'Boolean':
      return value ? 'true' : 'false';
    case 'String':
      return value as string;
    case 'Duration':
      return duration(value as Duration);
    case 'Point':
      return point(value as Point);
    default:
      // Date, LocalDateTime, DateTime, LocalTime, Time: the driver prints ISO 8601 (years beyond 4 digits signed)
      return String(value);
  }
}

function joined(elements: string[], delimiter: string, what: string): string {
  if (!elements.length) throw new RefusedValue(`an empty ${what}: neo4j-admin reads an empty field as no property, not as an empty ${what}`);
  const text = elements.join(delimiter);
  if (text === '') throw new RefusedValue(`a ${what} holding only an empty string: neo4j-admin reads an empty field as no property`);
  return text;
}

/** The field text of a non-null value in a column of this type (before CSV quoting). */
export function valueText(value: unknown, type: ColumnType, delimiter: string): string {
  if (type.kind === 'Bytes') {
    if (kindOf(value) !== 'Bytes') return scalar(value, type);
    return joined(Array.from(new Int8Array(bytesOf(value as ArrayBufferView))).map(String), delimiter, 'byte array');
  }
  if (!type.list) return scalar(value, type);
  if (!Array.isArray(value)) throw new RefusedValue(`a ${kindName(kindOf(value))} value in a list column (${type.header})`);
  const elements = value.map((element: unknown, i) => {
    const text = scalar(element, type);
    if (text.includes(delimiter)) {
      throw new RefusedValue(
        `list element ${i} holds the array delimiter ${JSON.stringify(delimiter)} (U+${delimiter.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}), which cannot be escaped: choose another array delimiter`,
      );
    }
    return text;
  });
  return joined(elements, delimiter, 'list');
}
