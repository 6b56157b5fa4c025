/**
 * A user's edits to a generated plan, kept apart from it so that they survive regeneration: when the schema
 * changes and the plan is generated again, applying the same overrides keeps every rename and exclusion that
 * still matches something, and reports the others as stale (not an error).
 */
import type { PgTypeInfo } from '../schema/model';
import { defaultPolicies } from '../values/rules';
import { propertyName } from './naming';
import { childPath } from './problems';
import { NameAllocator } from './properties';
import type { GraphPlan, LeftOutColumn, NodeEntry, PropertyMapping, RelationshipEntry } from './types';
import type { ValuePolicy, ValueRule } from '../values/rule-types';

export interface PlanOverrides {
  /** Node entry id -> label. */
  labels?: Record<string, string>;
  /** Relationship entry id -> relationship type. */
  types?: Record<string, string>;
  /** Entry id (node or relationship) -> column -> property name. */
  properties?: Record<string, Record<string, string>>;
  /** Entry ids (node or relationship) to leave out; leaving out a node entry also drops the relationships that end at it. */
  excludeEntries?: string[];
  /** Entry id -> columns to leave out (key columns cannot be left out). */
  excludeColumns?: Record<string, string[]>;
  /** Entry id -> column -> value rule; also brings back a column left out for want of a rule. */
  as?: Record<string, Record<string, ValueRule>>;
  /** Merged over options.typePolicies; applied to every property whose pgType is that type. */
  typePolicies?: Record<string, ValuePolicy>;
}

export interface AppliedOverrides {
  plan: GraphPlan;
  /** Overrides that match nothing in this plan (`labels["public.gone"]: ...`); reported, not fatal. */
  stale: string[];
}

type Entry = NodeEntry | RelationshipEntry;
const POLICY_FIELDS = ['nullElements', 'multiDimensional', 'infinity', 'trim'] as const;
const EXCLUDED = 'excluded by an override';

/** A stand-in type built from a property's pgType ("numeric(12,2)", "text[]"), enough for the policy defaults. */
function typeFromLabel(pgType: string): PgTypeInfo {
  const array = pgType.endsWith('[]');
  const base = pgType.replace(/\[\]$/, '').replace(/\(.*\)$/, '');
  const scalar: PgTypeInfo = { display: base, name: base, schema: '', oid: 0, category: 'base' };
  return array ? { display: pgType, name: `_${base}`, schema: '', oid: 0, category: 'array', element: scalar } : scalar;
}

/** The typePolicies key that applies to a pgType: "numeric(12,2)" -> numeric; "text[]" -> "text[]" or "_text". */
function typePolicyFor(pgType: string, policies: Record<string, ValuePolicy>): ValuePolicy | undefined {
  const base = pgType.replace(/\(.*?\)/g, '');
  const candidates = base.endsWith('[]') ? [base, `_${base.slice(0, -2)}`] : [base];
  const key = candidates.find((k) => Object.prototype.hasOwnProperty.call(policies, k));
  return key === undefined ? undefined : policies[key];
}

/** Sets a property's rule; a changed rule gets that rule's policy defaults, then the type policy's fields on top (also used by engine/probe). */
export function setRule(property: PropertyMapping, rule: ValueRule | undefined, policy: ValuePolicy | undefined): void {
  const target = rule ?? policy?.as ?? property.as;
  const record = property as unknown as Record<string, unknown>;
  if (target !== property.as) {
    for (const field of POLICY_FIELDS) delete record[field];
    property.as = target;
    Object.assign(property, defaultPolicies(typeFromLabel(property.pgType), target));
  }
  for (const field of POLICY_FIELDS) if (policy?.[field] !== undefined) record[field] = policy[field];
}

class OverrideRun {
  readonly stale: string[] = [];
  readonly warnings: string[] = [];

  constructor(
    readonly plan: GraphPlan,
    readonly overrides: PlanOverrides,
  ) {}

  private entries(): Entry[] {
    return [...this.plan.nodes, ...this.plan.relationships];
  }

  private entry(id: string): Entry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  private excludedColumns(id: string): string[] {
    return this.overrides.excludeColumns?.[id] ?? [];
  }

  /** Puts a left-out column back as a property (rule given), named by the plan's conventions. */
  private bringBack(entry: Entry, leftOut: LeftOutColumn, rule: ValueRule): PropertyMapping {
    const names = new NameAllocator(entry.properties.map((p) => p.name));
    const name = names.allocate(propertyName(leftOut.column, this.plan.options.naming), `the property of column "${leftOut.column}"`, this.warnings);
    const property: PropertyMapping = {
      column: leftOut.column,
      name,
      pgType: leftOut.pgType,
      as: rule,
      ...defaultPolicies(typeFromLabel(leftOut.pgType), rule),
    };
    entry.properties.push(property);
    entry.leftOut = entry.leftOut?.filter((l) => l !== leftOut);
    if (!entry.leftOut?.length) delete entry.leftOut;
    return property;
  }

  typePolicies(): void {
    const policies = this.overrides.typePolicies;
    if (!policies || !Object.keys(policies).length) return;
    this.plan.options.typePolicies = { ...this.plan.options.typePolicies, ...structuredClone(policies) };
    for (const entry of this.entries()) {
      for (const property of entry.properties) {
        const policy = typePolicyFor(property.pgType, policies);
        if (policy) setRule(property, undefined, policy);
      }
      for (const leftOut of [...(entry.leftOut ?? [])]) {
        const policy = typePolicyFor(leftOut.pgType, policies);
        if (policy?.as && leftOut.reason !== EXCLUDED) this.bringBack(entry, leftOut, policy.as);
      }
    }
  }

  rules(): void {
    for (const [id, columns] of Object.entries(this.overrides.as ?? {})) {
      const entry = this.entry(id);
      for (const [column, rule] of Object.entries(columns)) {
        const at = childPath(childPath('as', id), column);
        if (!entry) {
          this.stale.push(`${at}: there is no entry "${id}"`);
          continue;
        }
        const property = entry.properties.find((p) => p.column === column);
        const leftOut = entry.leftOut?.find((l) => l.column === column);
        if (property) setRule(property, rule, undefined);
        else if (leftOut && !this.excludedColumns(id).includes(column)) this.bringBack(entry, leftOut, rule);
        else if (!leftOut) this.stale.push(`${at}: entry "${id}" has no column "${column}"`);
      }
    }
  }

  propertyNames(): void {
    for (const [id, columns] of Object.entries(this.overrides.properties ?? {})) {
      const entry = this.entry(id);
      for (const [column, name] of Object.entries(columns)) {
        const at = childPath(childPath('properties', id), column);
        if (!entry) {
          this.stale.push(`${at}: there is no entry "${id}"`);
          continue;
        }
        const property = entry.properties.find((p) => p.column === column);
        if (property) this.rename(entry, property, name);
        else if (!entry.leftOut?.some((l) => l.column === column)) this.stale.push(`${at}: entry "${id}" has no column "${column}"`);
      }
    }
  }

  /** Renames a property and everything that refers to it: the entry's key and the `match` of relationships ending there. */
  private rename(entry: Entry, property: PropertyMapping, name: string): void {
    const old = property.name;
    if (old === name) return;
    property.name = name;
    if (!('label' in entry)) return;
    entry.key = entry.key.map((k) => (k === old ? name : k));
    for (const rel of this.plan.relationships) {
      for (const end of [rel.from, rel.to]) {
        if (end.node !== entry.id || !(old in end.match)) continue;
        end.match = Object.fromEntries(Object.entries(end.match).map(([k, v]) => [k === old ? name : k, v]));
      }
    }
  }

  excludeColumns(): void {
    for (const [id, columns] of Object.entries(this.overrides.excludeColumns ?? {})) {
      const entry = this.entry(id);
      for (const column of columns) {
        const at = `${childPath('excludeColumns', id)}: "${column}"`;
        if (!entry) {
          this.stale.push(`${at}: there is no entry "${id}"`);
          continue;
        }
        const property = entry.properties.find((p) => p.column === column);
        if (!property) {
          if (!entry.leftOut?.some((l) => l.column === column)) this.stale.push(`${at}: entry "${id}" has no column "${column}"`);
          continue;
        }
        if ('label' in entry && entry.key.includes(property.name)) {
          this.warnings.push(`${at}: column "${column}" is part of the key of ${id} and stays in`);
          continue;
        }
        entry.properties = entry.properties.filter((p) => p !== property);
        entry.leftOut = [...(entry.leftOut ?? []), { column, pgType: property.pgType, reason: EXCLUDED }];
      }
    }
  }

  labelsAndTypes(): void {
    for (const [id, label] of Object.entries(this.overrides.labels ?? {})) {
      const node = this.plan.nodes.find((n) => n.id === id);
      if (node) node.label = label;
      else this.stale.push(`${childPath('labels', id)}: there is no node entry "${id}"`);
    }
    for (const [id, type] of Object.entries(this.overrides.types ?? {})) {
      const rel = this.plan.relationships.find((r) => r.id === id);
      if (rel) rel.type = type;
      else this.stale.push(`${childPath('types', id)}: there is no relationship entry "${id}"`);
    }
  }

  excludeEntries(): void {
    const excluded = new Set(this.overrides.excludeEntries ?? []);
    for (const id of excluded) {
      if (!this.entry(id)) this.stale.push(`excludeEntries: there is no entry "${id}"`);
    }
    this.plan.nodes = this.plan.nodes.filter((n) => !excluded.has(n.id));
    const nodeIds = new Set(this.plan.nodes.map((n) => n.id));
    this.plan.relationships = this.plan.relationships.filter((rel) => {
      if (excluded.has(rel.id)) return false;
      const gone = [rel.from.node, rel.to.node].find((node) => !nodeIds.has(node));
      if (gone && excluded.has(gone)) {
        this.warnings.push(`relationship entry ${rel.id} (${rel.type}) left out: its node entry ${gone} is excluded`);
        return false;
      }
      return true;
    });
  }
}

/** Applies overrides to a (freshly generated) plan; the input plan is not modified. */
export function applyOverrides(plan: GraphPlan, overrides: PlanOverrides | undefined): AppliedOverrides {
  const copy = structuredClone(plan);
  if (!overrides) return { plan: copy, stale: [] };
  const run = new OverrideRun(copy, overrides);
  run.typePolicies();
  run.rules();
  run.propertyNames();
  run.excludeColumns();
  run.labelsAndTypes();
  run.excludeEntries();
  if (run.warnings.length) copy.warnings = [...(copy.warnings ?? []), ...run.warnings];
  return { plan: copy, stale: run.stale };
}
