/**
 * The SQL twin of engine/values/convert.ts: for one property (its rule and policies), a predicate per way a real
 * Postgres value can make its converter throw ValueError, each with the lossless policy that would hold the
 * value. Predicates read the value's text (`x::text`), as the converter does, so they agree with it whatever
 * the column's declared type; malformed text cannot come out of Postgres and is not looked for.
 * Only literals of this file go into the SQL; column expressions are quoted by the caller.
 */
import type { ScalarRule, ValuePolicy } from '../values/rule-types';
import { resolveRule, type ValueSite, type ValueSpec } from '../values/convert';
import { readTypeLabel } from '../values/type-label';

/** What can be wrong with a value, one name per ValueError a real value can cause. */
export type ProblemKind =
  | 'nullElements' // an array with NULL elements under nullElements "error"
  | 'multiDimensional' // a multi-dimensional array under multiDimensional "error"
  | 'infinity' // an infinite date, timestamp or interval under infinity "error"
  | 'infiniteElement' // an infinite element inside a typed list (infinity "string" or "error")
  | 'time24' // time / timetz 24:00:00 under localTime / time (also as a list element)
  | 'fraction' // a numeric with a fraction under "integer"
  | 'notANumber' // numeric NaN or ±Infinity under "integer"
  | 'outOfRange'; // a whole numeric beyond the 64-bit range under "integer"

export interface ValueCheck {
  kind: ProblemKind;
  /** What is wrong, in words (as the converter says it). */
  reason: string;
  /** A boolean SQL expression, true for a value its converter would refuse. */
  predicate: string;
  /** The policy change that holds every such value without loss. */
  keep: ValuePolicy;
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid', 'smallint', 'integer', 'bigint']);
const WHOLE = `'^[+-]?[0-9]+([.]0*)?$'`;
const NAN = `'^[+-]?(NaN|Infinity)$'`;
const INFINITE = `('infinity', '-infinity')`;
const AS_STRING: ValuePolicy = { as: 'string' };

/** The checks of one scalar value whose text is `x`, for a scalar rule (mirrors scalarConverter). */
function scalarChecks(rule: ScalarRule, typeName: string, policy: ValuePolicy, x: string, inList: boolean): ValueCheck[] {
  const infinity = policy.infinity ?? 'string';
  switch (rule) {
    case 'integer':
      // int2/int4/int8/oid text always fits a 64-bit Integer
      if (INTEGER_TYPES.has(typeName)) return [];
      return [
        { kind: 'notANumber', reason: 'numeric NaN or Infinity has no Integer form', predicate: `${x} ~ ${NAN}`, keep: AS_STRING },
        { kind: 'fraction', reason: 'numeric with a fraction cannot be an Integer', predicate: `(${x} !~ ${WHOLE} AND ${x} !~ ${NAN})`, keep: AS_STRING },
        {
          kind: 'outOfRange',
          reason: 'integer outside the 64-bit range of Neo4j Integer',
          // up to 15 digits always fit; the cast only runs on whole-number text
          predicate: `(CASE WHEN ${x} ~ '^[+-]?[0-9]{16,}([.]0*)?$' THEN ${x}::numeric NOT BETWEEN -9223372036854775808 AND 9223372036854775807 ELSE false END)`,
          keep: AS_STRING,
        },
      ];
    case 'date':
    case 'localDateTime':
    case 'dateTime':
    case 'duration':
      if (inList) {
        // inside a list an infinite element fails unless it is dropped (infinity "null")
        if (infinity === 'null') return [];
        return [{ kind: 'infiniteElement', reason: 'infinite value inside a typed list', predicate: `${x} IN ${INFINITE}`, keep: AS_STRING }];
      }
      if (infinity !== 'error') return [];
      return [{ kind: 'infinity', reason: 'infinite value (infinity policy is "error")', predicate: `${x} IN ${INFINITE}`, keep: { infinity: 'string' } }];
    case 'localTime':
    case 'time':
      return [{ kind: 'time24', reason: 'time 24:00:00, which Neo4j time types cannot hold', predicate: `${x} LIKE '24:%'`, keep: AS_STRING }];
    default:
      return [];
  }
}

/**
 * The checks of a property whose value is the SQL expression `value`: none for most rules (then the column is
 * not a candidate and costs no query). A rule the spec cannot resolve has no checks (validation reports it).
 */
export function valueChecks(spec: ValueSpec, value: string, site: ValueSite = { entry: '', column: '' }): ValueCheck[] {
  let rule;
  try {
    rule = resolveRule(spec, site);
  } catch {
    return [];
  }
  const label = readTypeLabel(spec.pgType ?? '');
  const list = /^list<(\w+)>$/.exec(rule);
  if (!list) return scalarChecks(rule as ScalarRule, label.element ? '' : label.name, spec, `${value}::text`, false);
  const nullElements = spec.nullElements ?? 'error';
  const multiDimensional = spec.multiDimensional ?? 'error';
  const oneDimension = `coalesce(pg_catalog.array_ndims(${value}), 0) <= 1`;
  const hasNull = `EXISTS (SELECT 1 FROM pg_catalog.unnest(${value}) AS e(v) WHERE e.v IS NULL)`;
  const checks: ValueCheck[] = [];
  if (multiDimensional === 'error') {
    checks.push({
      kind: 'multiDimensional',
      reason: 'multi-dimensional array (multiDimensional policy is "error")',
      predicate: `pg_catalog.array_ndims(${value}) > 1`,
      keep: { multiDimensional: 'json' },
    });
  }
  if (nullElements === 'error') {
    checks.push({
      kind: 'nullElements',
      reason: 'array with NULL elements (nullElements policy is "error")',
      predicate: `(${oneDimension} AND ${hasNull})`,
      keep: { nullElements: 'json' },
    });
  }
  // the elements are converted one by one only in a one-dimensional array that did not become JSON text
  const reached = nullElements === 'drop' ? oneDimension : `${oneDimension} AND NOT ${hasNull}`;
  for (const element of scalarChecks(list[1] as ScalarRule, label.element ?? '', spec, 'e.v::text', true)) {
    checks.push({
      ...element,
      reason: `${element.reason} (an element)`,
      predicate: `(${reached} AND EXISTS (SELECT 1 FROM pg_catalog.unnest(${value}) AS e(v) WHERE ${element.predicate}))`,
    });
  }
  return checks;
}

/** One policy holding every value of several checks: `as: "string"` holds them all, else the fields merged. */
export function mergeKeeps(keeps: ValuePolicy[]): ValuePolicy {
  if (keeps.some((k) => k.as !== undefined)) return { as: 'string' };
  return Object.assign({}, ...keeps) as ValuePolicy;
}
