/**
 * The bridge back from plain JavaScript for computed properties: how a JSONata expression's result becomes a
 * graph value (by its `as` rule, or inferred). What the expression sees of a row is values/js-native.ts.
 */
import { Point, int, isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isTime } from 'neo4j-driver';
import type { ScalarRule, ValueRule } from '../values/rule-types';
import { parseInterval } from '../values/parse/interval';
import { parseBoolean, parseBytea, parseFloatText, parseInteger } from '../values/parse/scalars';
import { parseDate, parseDateTime, parseLocalDateTime, parseLocalTime, parseTime } from '../values/parse/temporal';
import { ValueError } from '../values/value-error';

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function fail(rule: string, value: unknown): never {
  throw new ValueError(`expression result cannot be ${rule}`, describe(value));
}

function text(value: unknown, rule: string): string {
  if (typeof value !== 'string') fail(rule, value);
  return value;
}

function scalarFromJs(value: unknown, rule: ScalarRule): unknown {
  switch (rule) {
    case 'integer':
      if (isInt(value)) return value;
      if (typeof value === 'bigint') return int(value);
      if (typeof value === 'number' && Number.isSafeInteger(value)) return int(value);
      if (typeof value === 'string') return parseInteger(value);
      return fail(rule, value);
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string') return parseFloatText(value);
      return fail(rule, value);
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return describe(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return parseBoolean(text(value, rule));
    case 'date':
      return isDate(value as object) ? value : parseDate(text(value, rule));
    case 'localDateTime':
      return isLocalDateTime(value as object) ? value : parseLocalDateTime(text(value, rule));
    case 'dateTime':
      return isDateTime(value as object) ? value : parseDateTime(text(value, rule));
    case 'localTime':
      return isLocalTime(value as object) ? value : parseLocalTime(text(value, rule));
    case 'time':
      return isTime(value as object) ? value : parseTime(text(value, rule));
    case 'duration':
      return isDuration(value as object) ? value : parseInterval(text(value, rule));
    case 'bytes': {
      const hex = text(value, rule);
      return parseBytea(hex.startsWith('\\x') ? hex : `\\x${hex}`);
    }
    case 'point': {
      const p = value as { x?: unknown; y?: unknown };
      if (typeof p !== 'object' || p === null || typeof p.x !== 'number' || typeof p.y !== 'number') return fail(rule, value);
      return new Point(7203, p.x, p.y);
    }
    case 'flatten':
      return fail(rule, value);
  }
}

/** Without a rule: strings and booleans as they are, whole numbers as Integer, other numbers as Float, objects as JSON text. */
function inferred(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? int(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const list = value.filter((v) => v !== null && v !== undefined).map(inferred);
    const kinds = new Set(list.map((v) => (isInt(v) ? 'integer' : typeof v)));
    if (kinds.size > 1) throw new ValueError('expression result is a list of mixed types (Neo4j lists are homogeneous; set "as")', describe(value));
    return list;
  }
  return describe(value);
}

/** An expression's result as a graph value; null (absent) for null or undefined. */
export function fromJs(value: unknown, rule: ValueRule | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (!rule) return inferred(value);
  const list = /^list<(\w+)>$/.exec(rule);
  if (!list) return scalarFromJs(value, rule as ScalarRule);
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v) => v !== null && v !== undefined).map((v) => scalarFromJs(v, list[1] as ScalarRule));
}
