/**
 * What a translated expression holds, as far as the translator must know to stay faithful: Cypher compares,
 * sorts and adds only integers, floats, booleans and plain text the way Postgres does. A numeric column is
 * exact decimal text in the graph (README, Value rules), an enum or uuid is text Postgres compares by its type,
 * char(n) keeps its padding: those are projected and counted, and refused where Cypher would compare text.
 */
import type { PropertyMapping } from '../plan/types';

export type Kind =
  | 'integer'
  | 'float'
  | 'boolean'
  /** text, varchar, name: compared as Postgres does for equality; order is collation-dependent */
  | 'text'
  /** char(n): Postgres ignores the padding the graph keeps */
  | 'padded'
  /** numeric as exact text */
  | 'decimal'
  /** text of a type Postgres compares by its own rules (enum, uuid, json, ...) */
  | 'opaque'
  /** dates, times, lists, points, bytes: projected as they are */
  | 'other'
  | 'null'
  /** a $n parameter: its type comes from the value the caller passes */
  | 'unknown';

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid']);
const FLOAT_TYPES = new Set(['float4', 'float8']);
const TEXT_TYPES = new Set(['text', 'varchar', 'name']);

/** The type name without its typmod: "numeric(12,2)" -> "numeric". */
function baseType(pgType: string): string {
  const open = pgType.indexOf('(');
  return open < 0 ? pgType : pgType.slice(0, open);
}

export function kindOfProperty(property: PropertyMapping): Kind {
  const base = baseType(property.pgType);
  if (property.pgType.endsWith('[]')) return 'other';
  switch (property.as) {
    case 'integer':
      return INTEGER_TYPES.has(base) ? 'integer' : 'other';
    case 'float':
      return FLOAT_TYPES.has(base) ? 'float' : 'other';
    case 'boolean':
      return base === 'bool' ? 'boolean' : 'other';
    case 'string':
      if (TEXT_TYPES.has(base)) return 'text';
      if (base === 'bpchar') return 'padded';
      if (base === 'numeric') return 'decimal';
      return 'opaque';
    default:
      return 'other';
  }
}

/** The fixed scale of "numeric(p,s)": every value has exactly s decimals, so equal values have equal text. */
export function decimalScale(pgType: string): number | undefined {
  if (baseType(pgType) !== 'numeric') return undefined;
  const open = pgType.indexOf('(');
  if (open < 0) return undefined;
  const parts = pgType.slice(open + 1, -1).split(',');
  const scale = parts.length === 2 ? Number(parts[1]) : 0;
  return Number.isInteger(scale) && scale >= 0 ? scale : undefined;
}

export const isNumber = (kind: Kind) => kind === 'integer' || kind === 'float';
