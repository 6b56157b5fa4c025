/** Column -> PropertyMapping: the property name, its Postgres type, its value rule and the rule's policy fields. */
import type { ColumnInfo, PgTypeInfo } from '../schema/model';
import { defaultPolicies, defaultRule, isRuleAllowed, pgTypeLabel } from '../values/rules';
import type { LeftOutColumn, PropertyMapping } from './types';
import type { ValuePolicy } from '../values/rule-types';

const POLICY_FIELDS = ['nullElements', 'multiDimensional', 'infinity', 'trim'] as const;

/** The type names a typePolicies key may use for a type: its own (`_text`, `mood`, `numeric`), `text[]`, and its domain bases'. */
function policyKeys(type: PgTypeInfo): string[] {
  const keys: string[] = [];
  let current: PgTypeInfo | undefined = type;
  while (current) {
    keys.push(current.name);
    if (current.category === 'array' && current.element) keys.push(`${current.element.name}[]`);
    current = current.category === 'domain' ? current.domainBase : undefined;
  }
  return keys;
}

/** The first typePolicies entry that applies to the type (its own name first, then its domain bases). */
export function policyFor(type: PgTypeInfo, typePolicies: Record<string, ValuePolicy> | undefined): { key: string; policy: ValuePolicy } | undefined {
  if (!typePolicies) return undefined;
  const key = policyKeys(type).find((k) => Object.prototype.hasOwnProperty.call(typePolicies, k));
  return key === undefined ? undefined : { key, policy: typePolicies[key] };
}

export interface PropertyChoice {
  mapping?: PropertyMapping;
  leftOut?: LeftOutColumn;
  warnings: string[];
}

/**
 * Maps one column. `required` columns (keys, match columns) are never left out: without a rule they travel as
 * their text ('string', always lossless). Others without a rule are left out with a warning that says how
 * to bring them in.
 */
export function mapColumn(column: ColumnInfo, name: string, typePolicies: Record<string, ValuePolicy> | undefined, required: boolean): PropertyChoice {
  const warnings: string[] = [];
  const pgType = pgTypeLabel(column.type);
  const found = policyFor(column.type, typePolicies);
  let rule = found?.policy.as;
  if (rule && !isRuleAllowed(column.type, rule)) {
    warnings.push(`column "${column.name}" (${pgType}): typePolicies["${found!.key}"].as "${rule}" is not allowed for this type; using its default rule`);
    rule = undefined;
  }
  rule = rule ?? defaultRule(column.type);
  if (!rule) {
    if (!required) {
      warnings.push(
        `column "${column.name}" (${pgType}) left out: pg2graph has no value rule for type ${pgType}; to migrate it as text set "as": "string" for it (or typePolicies {"${column.type.name}": {"as": "string"}})`,
      );
      return { leftOut: { column: column.name, pgType, reason: `no value rule for type ${pgType}` }, warnings };
    }
    warnings.push(`column "${column.name}" (${pgType}) has no value rule but is part of a key: migrated as its text ("as": "string")`);
    rule = 'string';
  }
  const mapping: PropertyMapping = { column: column.name, name, pgType, as: rule, ...defaultPolicies(column.type, rule) };
  for (const field of POLICY_FIELDS) {
    const value = found?.policy[field];
    if (value !== undefined) (mapping as unknown as Record<string, unknown>)[field] = value;
  }
  return { mapping, warnings };
}

/** Hands out property names, making later duplicates unique (`orderId`, `orderId2`, ...) and saying so. */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: string[] = []) {
    for (const name of reserved) this.taken.add(name);
  }

  allocate(wanted: string, what: string, warnings: string[]): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n += 1) name = `${wanted}${n}`;
    if (name !== wanted) warnings.push(`${what} would be "${wanted}", which is taken: named "${name}" instead`);
    this.taken.add(name);
    return name;
  }
}
