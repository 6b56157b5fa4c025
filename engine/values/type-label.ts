/**
 * Reading the `pgType` text of a plan property ("int4", "numeric(12,2)", "text[]", "_int4", "mood") back
 * into the little the converters need: the base type name and whether it is an array.
 */
import type { PgTypeInfo } from '../schema/model';

export interface TypeLabel {
  /** Type name without typmod or array brackets: "numeric", "text", "mood". */
  name: string;
  /** Element type name when the label names an array. */
  element?: string;
}

export function readTypeLabel(label: string): TypeLabel {
  const text = label.trim();
  if (text.endsWith('[]')) return { name: text, element: readTypeLabel(text.slice(0, -2)).name };
  if (/^_\w+$/.test(text)) return { name: text, element: text.slice(1) };
  return { name: text.replace(/\s*\(.*\)$/, '') };
}

/** A PgTypeInfo good enough for the rule table (rules.ts) when only the label is known. */
export function typeInfoFromLabel(label: string): PgTypeInfo {
  const parsed = readTypeLabel(label);
  const base = (name: string): PgTypeInfo => ({ display: name, name, schema: 'pg_catalog', oid: 0, category: 'base' });
  if (parsed.element) return { ...base(parsed.name), category: 'array', element: base(parsed.element) };
  return base(parsed.name);
}
