/**
 * Graph values as a Gremlin server holds them (README.md, Gremlin: values), within the types Amazon Neptune
 * stores (String, Boolean, Long, Double, Date): an Integer is a Long (never BigInteger), a Float a Double, a Date
 * a Date at midnight UTC; temporals a Date would cut (microseconds, offsets, local times), durations, points and
 * bytes are their exact text; a list is one vertex property per element (`list` cardinality), and JSON text on an
 * edge (edge properties hold one value). What comes back is compared in this same encoding (sameGremlinValue).
 */
import { GremlinDouble, GremlinLong } from '../connect/gremlin-codec';
import { integerText, kindOf } from '../values/graph-kind';
import { base64Text, exactJson, isoText, pointText } from '../values/value-text';

/** One stored value: what the codec sends and what it reads back. */
export type GremlinScalar = string | boolean | number | bigint | Date | GremlinLong | GremlinDouble;
/** A property as written: absent, one value, or the values of a list-cardinality property in order. */
export type GremlinProperty = undefined | GremlinScalar | { list: GremlinScalar[] };

/** Why a value cannot be stored, for the caller to name entry, key and property. */
export class GremlinValueRefused extends Error {}

/** Java's Date (like JS's) reaches ±100,000,000 days from 1970: a Postgres date beyond that has no Date. */
const MAX_DATE_MS = 8.64e15;

function dateOf(value: unknown): Date {
  const date = value as { year: unknown; month: unknown; day: unknown };
  const result = new Date(0);
  result.setUTCFullYear(Number(date.year), Number(date.month) - 1, Number(date.day));
  if (!Number.isFinite(result.getTime()) || Math.abs(result.getTime()) > MAX_DATE_MS)
    throw new GremlinValueRefused(`date ${String(value)} is beyond the range of a Date`);
  return result;
}

/** One scalar graph value in the Gremlin encoding. */
export function gremlinScalar(value: unknown): GremlinScalar {
  const kind = kindOf(value);
  switch (kind) {
    case 'Integer':
      return new GremlinLong(BigInt(integerText(value)));
    case 'Float':
      return new GremlinDouble(value as number);
    case 'String':
    case 'Boolean':
      return value as string | boolean;
    case 'Date':
      return dateOf(value);
    case 'DateTime':
    case 'LocalDateTime':
    case 'LocalTime':
    case 'Time':
    case 'Duration':
      return isoText(value);
    case 'Point':
      return pointText(value);
    case 'Bytes':
      return base64Text(value as ArrayBufferView);
    default:
      throw new GremlinValueRefused(`a ${kind} value has no Gremlin type`);
  }
}

/** A property value of a vertex (lists: list cardinality) or an edge (lists: JSON text); undefined when absent. */
export function gremlinProperty(value: unknown, element: 'vertex' | 'edge'): GremlinProperty {
  const kind = kindOf(value);
  if (kind === 'Absent') return undefined;
  if (kind !== 'List') return gremlinScalar(value);
  const items = value as unknown[];
  if (element === 'edge') return exactJson(items, 'digits');
  // an empty list has no element to hold: the property is absent
  return items.length ? { list: items.map(gremlinScalar) } : undefined;
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a instanceof GremlinLong) return b instanceof GremlinLong && a.value === b.value;
  if (a instanceof GremlinDouble) return b instanceof GremlinDouble && Object.is(a.value, b.value);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  return typeof a === typeof b && Object.is(a, b);
}

/** Whether a property read back (a value, or several for list cardinality) is exactly the expected one, Java types included. */
export function sameGremlinValue(expected: GremlinProperty, found: unknown): boolean {
  if (expected === undefined) return found === undefined || (Array.isArray(found) && found.length === 0);
  const values = Array.isArray(found) ? found : found === undefined ? [] : [found];
  const wanted = typeof expected === 'object' && 'list' in expected ? expected.list : [expected];
  return values.length === wanted.length && wanted.every((item, i) => sameScalar(item, values[i]));
}

/** "Long 42", "Double 3.0", "Int 42", "Date 2024-01-02T00:00:00.000Z", "String \"x\"", lists in brackets: for verify's examples. */
export function describeGremlinValue(value: unknown): string {
  if (value === undefined || value === null) return 'absent';
  if (Array.isArray(value)) return value.length === 1 ? describeGremlinValue(value[0]) : `list [${value.map(describeGremlinValue).join(', ')}]`;
  if (typeof value === 'object' && 'list' in value) return describeGremlinValue((value as { list: unknown[] }).list);
  if (value instanceof GremlinLong) return `Long ${value.toString()}`;
  if (value instanceof GremlinDouble) return `Double ${value.toString()}`;
  if (value instanceof Date) return `Date ${Number.isFinite(value.getTime()) ? value.toISOString() : 'invalid'}`;
  if (typeof value === 'number') return `Int ${value}`;
  if (typeof value === 'bigint') return `BigInteger ${value}`;
  if (typeof value === 'string') return `String ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
