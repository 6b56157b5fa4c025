/**
 * Compiles the converter of one column (once per entry, never per row): Postgres text -> the graph value of
 * the column's rule (see README, Value rules). A converter returns null for "property absent" (SQL NULL is handled by the
 * caller and never reaches it); it throws ValueError for a value its rule cannot hold.
 */
import { Pg2GraphError } from '../core/errors';
import type { ArrayPolicy, InfinityPolicy, ScalarRule, ValuePolicy, ValueRule } from './rule-types';
import { parseArrayLiteral, type ArrayTree } from './parse/array-literal';
import { parseInterval } from './parse/interval';
import { flattenJson } from './parse/json-flatten';
import { hstoreToJson, parseBoolean, parseBytea, parseFloatText, parseInteger, parsePoint, parseWholeNumeric } from './parse/scalars';
import { isInfinity, parseDate, parseDateTime, parseLocalDateTime, parseLocalTime, parseTime } from './parse/temporal';
import { defaultRule, isValueRule } from './rules';
import { readTypeLabel, typeInfoFromLabel } from './type-label';
import { ValueError } from './value-error';

export type TextConverter = (text: string) => unknown;

/** What a converter is compiled from: a plan property (or a relationship end's key property). */
export interface ValueSpec extends ValuePolicy {
  /** The column's type as the plan shows it ("int4", "numeric(12,2)", "text[]", "mood"). */
  pgType: string;
}

/** Where a value comes from, for compile-time errors. */
export interface ValueSite {
  entry: string;
  table?: string;
  column: string;
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid', 'smallint', 'integer', 'bigint']);
const NUMBER_TOKEN = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function siteText(site: ValueSite): string {
  return `entry "${site.entry}", ${site.table ? `table ${site.table}, ` : ''}column "${site.column}"`;
}

/** The rule a spec asks for; without `as`, the type's default; a type without any rule is an error. */
export function resolveRule(spec: ValueSpec, site: ValueSite): ValueRule {
  if (spec.as !== undefined) {
    if (!isValueRule(spec.as)) {
      throw new Pg2GraphError('VALUE_RULE_UNKNOWN', `${siteText(site)}: unknown value rule "${String(spec.as)}"`, { ...site, as: spec.as });
    }
    return spec.as;
  }
  const rule = defaultRule(typeInfoFromLabel(spec.pgType));
  if (!rule) {
    throw new Pg2GraphError('VALUE_NO_RULE', `${siteText(site)}: type ${spec.pgType} has no value rule; set "as" (e.g. "string") for it in the plan`, {
      ...site,
      pgType: spec.pgType,
    });
  }
  return rule;
}

function withInfinity(parse: TextConverter, policy: InfinityPolicy, kind: string): TextConverter {
  return (text) => {
    if (!isInfinity(text)) return parse(text);
    if (policy === 'null') return null;
    if (policy === 'error') throw new ValueError(`infinite ${kind} (infinity policy is "error")`, text);
    return text;
  };
}

function scalarConverter(rule: ScalarRule, typeName: string, policy: ValuePolicy): TextConverter {
  const infinity = policy.infinity ?? 'string';
  switch (rule) {
    case 'integer':
      return INTEGER_TYPES.has(typeName) ? parseInteger : parseWholeNumeric;
    case 'float':
      return parseFloatText;
    case 'boolean':
      return parseBoolean;
    case 'string':
      if (typeName === 'hstore') return hstoreToJson;
      if (policy.trim) return (text) => text.replace(/ +$/, '');
      return (text) => text;
    case 'date':
      return withInfinity(parseDate, infinity, 'date');
    case 'localDateTime':
      return withInfinity(parseLocalDateTime, infinity, 'timestamp');
    case 'dateTime':
      return withInfinity(parseDateTime, infinity, 'timestamptz');
    case 'localTime':
      return parseLocalTime;
    case 'time':
      return parseTime;
    case 'duration':
      return withInfinity(parseInterval, infinity, 'interval');
    case 'bytes':
      return parseBytea;
    case 'point':
      return parsePoint;
    case 'flatten':
      return flattenJson;
  }
}

/** JSON text of a parsed array (policy "json"): numbers and booleans as JSON values, everything else as strings. */
function arrayJson(items: ArrayTree, rule: ScalarRule): string {
  const element = (item: string | null | ArrayTree): string => {
    if (item === null) return 'null';
    if (Array.isArray(item)) return `[${item.map(element).join(',')}]`;
    if ((rule === 'integer' || rule === 'float') && NUMBER_TOKEN.test(item)) return item;
    if (rule === 'boolean' && (item === 't' || item === 'f')) return item === 't' ? 'true' : 'false';
    return JSON.stringify(item);
  };
  return element(items);
}

function listConverter(rule: ScalarRule, elementType: string, policy: ValuePolicy): TextConverter {
  const nullElements: ArrayPolicy = policy.nullElements ?? 'error';
  const multiDimensional: ArrayPolicy = policy.multiDimensional ?? 'error';
  const infinity = policy.infinity ?? 'string';
  const convertElement = scalarConverter(rule, elementType, { ...policy, infinity: infinity === 'string' ? 'error' : infinity });
  const temporal = rule === 'date' || rule === 'localDateTime' || rule === 'dateTime' || rule === 'duration';
  return (text) => {
    const parsed = parseArrayLiteral(text);
    if (parsed.depth > 1) {
      if (multiDimensional === 'drop') return null;
      if (multiDimensional === 'json') return arrayJson(parsed.items, rule);
      throw new ValueError('multi-dimensional array (multiDimensional policy is "error"; "json" keeps it as JSON text)', text);
    }
    let items = parsed.items as Array<string | null>;
    if (parsed.hasNull) {
      if (nullElements === 'json') return arrayJson(items, rule);
      if (nullElements === 'error') {
        throw new ValueError('array with NULL elements (nullElements policy is "error"; "drop" or "json" keep the rest)', text);
      }
      items = items.filter((item) => item !== null);
    }
    const out: unknown[] = [];
    for (const item of items as string[]) {
      if (temporal && infinity === 'string' && isInfinity(item)) {
        throw new ValueError('infinite value inside a list cannot share a typed list (set infinity "null" to drop it, or "as": "string")', text);
      }
      const value = convertElement(item);
      if (value !== null) out.push(value);
    }
    return out;
  };
}

/** The converter for one column; compile errors (unknown rule, type without rule) name the site. */
export function compileValue(spec: ValueSpec, site: ValueSite): TextConverter {
  const rule = resolveRule(spec, site);
  const label = readTypeLabel(spec.pgType ?? '');
  const list = /^list<(\w+)>$/.exec(rule);
  if (list) return listConverter(list[1] as ScalarRule, label.element ?? '', spec);
  // an array read with a scalar rule ("string") keeps its literal text
  return scalarConverter(rule as ScalarRule, label.element ? '' : label.name, spec);
}
