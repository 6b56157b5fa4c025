/**
 * File names of an export: each entry's base name (safe in a file name and inside an import argument such as
 * neo4j-admin's `--nodes=Label=a.csv,b.csv`, unique in the set) and the names of its parts.
 */
import crypto from 'crypto';
import type { ValidPlan } from '../../plan/valid';
import type { EntryLayout } from './format';

const SAFE = /^[A-Za-z0-9._-]+$/;

/** "public.customer" stays; anything with other characters becomes its safe part plus a short hash of the id. */
export function entryBase(id: string): string {
  if (SAFE.test(id) && !id.startsWith('.')) return id;
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  const hash = crypto.createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${safe.slice(0, 80)}-${hash}`;
}

/** One layout per entry (nodes, then relationships) with no header files: the start of most formats' layout(). */
export function plainLayouts(plan: ValidPlan, extension: string): EntryLayout[] {
  return [
    ...plan.nodes.map((entry) => ({ entry: entry.id, kind: 'nodes' as const, base: entryBase(entry.id), extension, headers: [] })),
    ...plan.relationships.map((entry) => ({ entry: entry.id, kind: 'relationships' as const, base: entryBase(entry.id), extension, headers: [] })),
  ];
}

/** `nodes/public.customer.part-000007.csv.gz`: parts are numbered across the whole set, in the order they were started. */
export function partPath(layout: EntryLayout, number: number, gzip: boolean): string {
  return `${layout.kind}/${layout.base}.part-${String(number).padStart(6, '0')}.${layout.extension}${gzip ? '.gz' : ''}`;
}
