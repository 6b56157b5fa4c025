/**
 * Which value rules (`as`) a Postgres type may use, and its lossless default (see README, Value rules). One table for plan
 * generation, plan validation and conversion, so they can never disagree.
 */
import type { PgTypeInfo } from '../schema/model';
import type { ArrayPolicy, InfinityPolicy, ScalarRule, ValuePolicy, ValueRule } from './rule-types';

interface TypeRules {
  /** Allowed rules; the first is the default. */
  rules: ScalarRule[];
}

const INTEGER: TypeRules = { rules: ['integer', 'float', 'string'] };
const TEXT: TypeRules = { rules: ['string'] };

/** Keyed by pg_type.typname of the (domain-resolved) base type. */
const BY_TYPE_NAME: Record<string, TypeRules> = {
  int2: INTEGER,
  int4: INTEGER,
  int8: INTEGER,
  oid: INTEGER,
  numeric: { rules: ['string', 'float', 'integer'] },
  float4: { rules: ['float', 'string'] },
  float8: { rules: ['float', 'string'] },
  bool: { rules: ['boolean', 'string'] },
  text: TEXT,
  varchar: TEXT,
  bpchar: TEXT,
  char: TEXT,
  name: TEXT,
  citext: TEXT,
  uuid: TEXT,
  inet: TEXT,
  cidr: TEXT,
  macaddr: TEXT,
  macaddr8: TEXT,
  money: TEXT,
  xml: TEXT,
  tsvector: TEXT,
  hstore: TEXT,
  date: { rules: ['date', 'string'] },
  timestamp: { rules: ['localDateTime', 'string'] },
  timestamptz: { rules: ['dateTime', 'string'] },
  time: { rules: ['localTime', 'string'] },
  timetz: { rules: ['time', 'string'] },
  interval: { rules: ['duration', 'string'] },
  json: { rules: ['string', 'flatten'] },
  jsonb: { rules: ['string', 'flatten'] },
  bytea: { rules: ['bytes', 'string'] },
  point: { rules: ['point', 'string'] },
};

const ENUM: TypeRules = TEXT;

/** The type that decides the rules: domains resolve to their base, recursively. */
export function ruleType(type: PgTypeInfo): PgTypeInfo {
  let current = type;
  while (current.category === 'domain' && current.domainBase) current = current.domainBase;
  return current;
}

function scalarRules(type: PgTypeInfo): TypeRules | undefined {
  const base = ruleType(type);
  if (base.category === 'enum') return ENUM;
  if (base.category === 'array') return undefined;
  return BY_TYPE_NAME[base.name];
}

/** Element type when the (domain-resolved) type is an array. */
export function arrayElement(type: PgTypeInfo): PgTypeInfo | undefined {
  const base = ruleType(type);
  return base.category === 'array' ? base.element : undefined;
}

/** Every rule the type may use; empty when Postgres type has no rule at all (only an explicit "string" policy helps). */
export function allowedRules(type: PgTypeInfo): ValueRule[] {
  const element = arrayElement(type);
  if (element) {
    const elementRules = scalarRules(element)?.rules.filter((r) => r !== 'flatten') ?? [];
    // the array's literal text ("{1,2,NULL}") is always a lossless fallback
    return [...elementRules.map((r) => `list<${r}>` as ValueRule), 'string'];
  }
  return scalarRules(type)?.rules ?? [];
}

/** The lossless default rule, or undefined when the type has no rule (README, Value rules, lists every type that has one). */
export function defaultRule(type: PgTypeInfo): ValueRule | undefined {
  return allowedRules(type)[0];
}

/** Whether an explicit rule is acceptable for the type ('string' is accepted for any type: its text form). */
export function isRuleAllowed(type: PgTypeInfo, rule: ValueRule): boolean {
  return rule === 'string' || allowedRules(type).includes(rule);
}

export const ALL_SCALAR_RULES: readonly ScalarRule[] = [
  'integer',
  'float',
  'string',
  'boolean',
  'date',
  'localDateTime',
  'dateTime',
  'localTime',
  'time',
  'duration',
  'bytes',
  'point',
  'flatten',
];

export function isValueRule(value: unknown): value is ValueRule {
  if (typeof value !== 'string') return false;
  const list = /^list<(\w+)>$/.exec(value);
  const scalar = list ? list[1] : value;
  return (ALL_SCALAR_RULES as readonly string[]).includes(scalar) && !(list && scalar === 'flatten');
}

/** Policy fields that matter for a rule, with their defaults (lossless, never silent: see README, Value rules). */
export function defaultPolicies(type: PgTypeInfo, rule: ValueRule): Omit<ValuePolicy, 'as'> {
  const base = ruleType(type);
  const policies: { nullElements?: ArrayPolicy; multiDimensional?: ArrayPolicy; infinity?: InfinityPolicy; trim?: boolean } = {};
  if (rule.startsWith('list<')) {
    policies.nullElements = 'error';
    policies.multiDimensional = 'error';
  }
  const element = arrayElement(type);
  const temporal = ruleType(element ?? base).name;
  if ((temporal === 'date' || temporal === 'timestamp' || temporal === 'timestamptz') && rule !== 'string') {
    policies.infinity = 'string';
  }
  if (ruleType(element ?? base).name === 'bpchar') policies.trim = false;
  return policies;
}

/** The short type text a plan shows in `pgType`: "int4", "numeric(12,2)", "varchar(40)", "text[]", "mood". */
export function pgTypeLabel(type: PgTypeInfo): string {
  if (type.category === 'array' && type.element) return `${pgTypeLabel(type.element)}[]`;
  const mod = type.typmod;
  if (mod?.precision !== undefined && mod.scale !== undefined) return `${type.name}(${mod.precision},${mod.scale})`;
  if (mod?.precision !== undefined) return `${type.name}(${mod.precision})`;
  if (mod?.length !== undefined) return `${type.name}(${mod.length})`;
  return type.name;
}
