/**
 * The columns of a `load-csv` part per plan entry: header name, codec (load-csv-values.ts) and where its value
 * goes. Node parts hold the entry's key and properties by name (plus the batch-dependent `<name>_<key>` columns
 * of a `flatten`, tagged and set by name from the header); relationship parts hold the start node's match
 * properties as `from.<name>`, the end node's as `to.<name>` (tagged: their kind is the end node's, which a
 * relationship batch does not carry), then the relationship's properties.
 */
import { Pg2GraphError } from '../../../core/errors';
import { nodeLabels } from '../../../plan/ends';
import type { NodeEntry, RelationshipEntry } from '../../../plan/types';
import type { ValidPlan } from '../../../plan/valid';
import { resolveRule } from '../../../values/convert';
import type { ValueRule } from '../../../values/rule-types';
import { codecFor, ruleRefusal, VARIANT_CODEC, type ValueCodec } from './load-csv-values';

export interface Column {
  /** The property it sets (or matches on). */
  property: string;
  /** The header name (before the backslash escape). */
  header: string;
  codec: ValueCodec;
}

export interface NodeColumns {
  label: string;
  extraLabels: string[];
  key: Column[];
  properties: Column[];
  /** The entry has `flatten` properties: header columns not named here are tagged and set by name. */
  dynamic: boolean;
}

export interface EndColumns {
  labels: string[];
  match: Column[];
}

export interface RelationshipColumns {
  type: string;
  from: EndColumns;
  to: EndColumns;
  properties: Column[];
}

function unsupported(entry: string, property: string, reason: string): Pg2GraphError {
  return new Pg2GraphError('EXPORT_PLAN_UNSUPPORTED', `load-csv: entry "${entry}", property "${property}": ${reason}`, { entry, property });
}

/** The rule of a node entry's property (mapped or computed); a row-content key has none and is a string. */
function propertyRule(entry: NodeEntry, name: string): ValueRule | undefined {
  const mapped = entry.properties.find((p) => p.name === name);
  if (mapped) return resolveRule(mapped, { entry: entry.id, column: mapped.column });
  const computed = entry.computed?.find((c) => c.name === name);
  if (computed) return computed.as;
  return 'string';
}

function column(entry: string, property: string, rule: ValueRule | undefined, header = property): Column {
  const refusal = ruleRefusal(rule);
  if (refusal) throw unsupported(entry, property, refusal);
  return { property, header, codec: codecFor(rule) };
}

const nodeCache = new WeakMap<NodeEntry, NodeColumns>();

export function nodeColumns(entry: NodeEntry): NodeColumns {
  const cached = nodeCache.get(entry);
  if (cached) return cached;
  const names = [...entry.properties.map((p) => p.name), ...(entry.computed ?? []).map((c) => c.name)];
  const rules = new Map(names.map((name) => [name, propertyRule(entry, name)]));
  const flatten = [...rules].filter(([, rule]) => rule === 'flatten').map(([name]) => name);
  const key = entry.key.map((name) => column(entry.id, name, propertyRule(entry, name)));
  const properties = names.filter((name) => !entry.key.includes(name) && !flatten.includes(name)).map((name) => column(entry.id, name, rules.get(name)));
  const [label, ...extraLabels] = nodeLabels(entry);
  const columns = { label, extraLabels, key, properties, dynamic: flatten.length > 0 };
  nodeCache.set(entry, columns);
  return columns;
}

const propertyCache = new WeakMap<RelationshipEntry, Column[]>();

/** A relationship entry's property columns (all a part's encoding needs besides its two tagged ends). */
export function relationshipProperties(entry: RelationshipEntry): Column[] {
  const cached = propertyCache.get(entry);
  if (cached) return cached;
  const properties = entry.properties.map((p) => {
    const rule = resolveRule(p, { entry: entry.id, column: p.column });
    if (rule === 'flatten') throw unsupported(entry.id, p.name, 'rule "flatten" on a relationship property (its columns vary by batch)');
    if (p.name.startsWith('from.') || p.name.startsWith('to.')) throw unsupported(entry.id, p.name, 'the header names "from.*" and "to.*" name the end nodes');
    return column(entry.id, p.name, rule);
  });
  propertyCache.set(entry, properties);
  return properties;
}

/** The end labels and match columns come from the end node entries (an end whose rule cannot be held is refused). */
export function relationshipColumns(plan: Pick<ValidPlan, 'nodes'>, entry: RelationshipEntry): RelationshipColumns {
  const end = (side: 'from' | 'to'): EndColumns => {
    const node = plan.nodes.find((n) => n.id === entry[side].node) as NodeEntry;
    const match = Object.keys(entry[side].match).map((name) => {
      const refusal = ruleRefusal(propertyRule(node, name));
      if (refusal) throw unsupported(entry.id, `${side}.${name}`, refusal);
      return { property: name, header: `${side}.${name}`, codec: VARIANT_CODEC };
    });
    return { labels: nodeLabels(node), match };
  };
  return { type: entry.type, from: end('from'), to: end('to'), properties: relationshipProperties(entry) };
}
