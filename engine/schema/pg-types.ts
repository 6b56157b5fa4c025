import type { ClientBase } from 'pg';
import type { PgTypeCategory, PgTypeInfo } from './model';
import { ENUM_LABELS_SQL, FORMAT_TYPES_SQL, TYPES_SQL } from './catalog-sql';
import { decodeTypmod } from './typmod';

interface TypeRow {
  oid: number;
  name: string;
  schema: string;
  typtype: string;
  typcategory: string;
  element: number;
  base: number;
  base_typmod: number;
  not_null: boolean;
}

/** A type as a column uses it: the same oid with another typmod is another PgTypeInfo (numeric(12,2) vs numeric). */
export interface TypeUse {
  oid: number;
  typmod: number;
}

const useKey = (use: TypeUse) => `${use.oid}:${use.typmod}`;

function categoryOf(row: TypeRow): PgTypeCategory {
  switch (row.typtype) {
    case 'e':
      return 'enum';
    case 'd':
      return 'domain';
    case 'c':
      return 'composite';
    case 'r':
    case 'm':
      return 'range';
    case 'p':
      return 'pseudo';
    case 'b':
      return row.typcategory === 'A' && row.element !== 0 ? 'array' : 'base';
    default:
      return 'other';
  }
}

/** The type uses a use leads to: an array's element (the column typmod applies to it), a domain's base. */
function childUse(row: TypeRow, use: TypeUse): TypeUse | undefined {
  const category = categoryOf(row);
  if (category === 'array') return { oid: row.element, typmod: use.typmod };
  if (category === 'domain') return { oid: row.base, typmod: row.base_typmod };
  return undefined;
}

/**
 * Resolves column types into PgTypeInfo trees: array elements, enum labels, domain bases (recursively, a
 * domain over a domain over an array ends at the array's element), typmods and format_type() display text.
 * Three round trips per nesting level at most, whatever the number of columns.
 */
export class TypeResolver {
  private readonly rows = new Map<number, TypeRow>();
  private readonly displays = new Map<string, string>();
  private readonly enumLabels = new Map<number, string[]>();
  private readonly built = new Map<string, PgTypeInfo>();

  constructor(private readonly client: ClientBase) {}

  /** Loads everything the given uses need; call once before info(). */
  async load(uses: TypeUse[]): Promise<void> {
    const all = new Map<string, TypeUse>();
    let pending = uses;
    while (pending.length) {
      const fresh = pending.filter((use) => !all.has(useKey(use)));
      for (const use of fresh) all.set(useKey(use), use);
      const missing = [...new Set(fresh.map((use) => use.oid).filter((oid) => !this.rows.has(oid)))];
      if (missing.length) {
        const result = await this.client.query<TypeRow>(TYPES_SQL, [missing]);
        for (const row of result.rows) this.rows.set(row.oid, row);
      }
      pending = fresh.flatMap((use) => {
        const row = this.rows.get(use.oid);
        const child = row && childUse(row, use);
        return child ? [child] : [];
      });
    }
    const list = [...all.values()];
    if (list.length) {
      const formatted = await this.client.query<{ oid: number; typmod: number; display: string }>(FORMAT_TYPES_SQL, [
        list.map((u) => u.oid),
        list.map((u) => u.typmod),
      ]);
      for (const row of formatted.rows) this.displays.set(useKey(row), row.display);
    }
    const enums = [...this.rows.values()].filter((row) => row.typtype === 'e').map((row) => row.oid);
    if (enums.length) {
      const labels = await this.client.query<{ type_oid: number; label: string }>(ENUM_LABELS_SQL, [enums]);
      for (const row of labels.rows) {
        const list = this.enumLabels.get(row.type_oid) ?? [];
        list.push(row.label);
        this.enumLabels.set(row.type_oid, list);
      }
    }
  }

  /** The resolved type of a use (after load()). */
  info(use: TypeUse): PgTypeInfo {
    const key = useKey(use);
    const cached = this.built.get(key);
    if (cached) return cached;
    const row = this.rows.get(use.oid);
    if (!row) {
      return { display: this.displays.get(key) ?? `oid ${use.oid}`, name: `oid_${use.oid}`, schema: '', oid: use.oid, category: 'other' };
    }
    const category = categoryOf(row);
    const info: PgTypeInfo = {
      display: this.displays.get(key) ?? row.name,
      name: row.name,
      schema: row.schema,
      oid: row.oid,
      category,
    };
    const child = childUse(row, use);
    if (category === 'array' && child) info.element = this.info(child);
    if (category === 'domain' && child) info.domainBase = this.info(child);
    if (category === 'enum') info.enumLabels = this.enumLabels.get(row.oid) ?? [];
    // arrays and domains pass their typmod on to the element / base; the type itself has none
    const typmod = category === 'array' || category === 'domain' ? undefined : decodeTypmod(row.name, use.typmod);
    if (typmod) info.typmod = typmod;
    this.built.set(key, info);
    return info;
  }

  /** True when the type is a domain declared NOT NULL (at any level of a domain chain). */
  notNullDomain(oid: number): boolean {
    let row = this.rows.get(oid);
    while (row && row.typtype === 'd') {
      if (row.not_null) return true;
      row = this.rows.get(row.base);
    }
    return false;
  }
}
