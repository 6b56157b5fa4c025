/**
 * A plan checked against itself: the shape and type of every field of the GraphPlan format (see README, The graph plan),
 * unique ids, keys that are properties, ends that exist, matches on properties of the end's node, and
 * entries whose nodes would merge. Unknown extra fields are allowed (the format grows by adding fields).
 */
import jsonata from 'jsonata';
import { isValueRule } from '../values/rules';
import { reservedLabel, reservedProperty } from '../cypher/reserved';
import { childPath, describe, ProblemList } from './problems';
import { ROW_HASH_PROPERTY } from './row-content';
import { PLAN_VERSION } from './types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

const ARRAY_POLICIES = ['error', 'drop', 'json'];
const INFINITY_POLICIES = ['string', 'null', 'error'];
const KEY_SOURCES = ['primaryKey', 'unique', 'rowContent', 'declared'];

class ShapeChecker {
  constructor(readonly problems: ProblemList) {}

  object(value: unknown, path: string): value is Json {
    if (isObject(value)) return true;
    this.problems.add(path, `must be an object, got ${describe(value)}`);
    return false;
  }

  text(value: unknown, path: string): value is string {
    if (isText(value)) return true;
    this.problems.add(path, `must be a non-empty string, got ${describe(value)}`);
    return false;
  }

  optionalText(value: unknown, path: string): void {
    if (value !== undefined && typeof value !== 'string') this.problems.add(path, `must be a string, got ${describe(value)}`);
  }

  list(value: unknown, path: string): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.problems.add(path, `must be a list, got ${describe(value)}`);
    return false;
  }

  textList(value: unknown, path: string, optional: boolean, nonEmpty = false): string[] {
    if (value === undefined && optional) return [];
    if (!this.list(value, path)) return [];
    if (nonEmpty && value.length === 0) this.problems.add(path, 'must name at least one');
    value.forEach((item, i) => this.text(item, childPath(path, i)));
    return value.filter(isText);
  }

  oneOf(value: unknown, allowed: readonly unknown[], path: string, optional: boolean): void {
    if (value === undefined && optional) return;
    if (!allowed.includes(value)) this.problems.add(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`);
  }

  positiveInteger(value: unknown, path: string, optional: boolean): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      this.problems.add(path, `must be a whole number of at least 1, got ${describe(value)}`);
  }

  rule(value: unknown, path: string, optional: boolean): void {
    if (value === undefined && optional) return;
    if (!isValueRule(value)) {
      this.problems.add(
        path,
        `${describe(value)} is not a value rule (integer, float, string, boolean, date, localDateTime, dateTime, localTime, time, duration, bytes, point, flatten, or list<rule>)`,
      );
    }
  }

  policy(value: Json, path: string, ruleOptional: boolean): void {
    this.rule(value.as, childPath(path, 'as'), ruleOptional);
    this.oneOf(value.nullElements, ARRAY_POLICIES, childPath(path, 'nullElements'), true);
    this.oneOf(value.multiDimensional, ARRAY_POLICIES, childPath(path, 'multiDimensional'), true);
    this.oneOf(value.infinity, INFINITY_POLICIES, childPath(path, 'infinity'), true);
    if (value.trim !== undefined && typeof value.trim !== 'boolean')
      this.problems.add(childPath(path, 'trim'), `must be true or false, got ${describe(value.trim)}`);
  }

  /** A name the pack keeps for itself (reservedLabel / reservedProperty said why), reported at its path. */
  reserved(why: string | undefined, path: string): void {
    if (why) this.problems.add(path, `is reserved: ${why}`);
  }

  /** A property list; returns the property names (duplicates reported). */
  properties(value: unknown, path: string): string[] {
    if (!this.list(value, path)) return [];
    const names = new Map<string, number>();
    value.forEach((item, i) => {
      const at = childPath(path, i);
      if (!this.object(item, at)) return;
      this.text(item.column, childPath(at, 'column'));
      if (this.text(item.name, childPath(at, 'name'))) {
        this.reserved(reservedProperty(item.name), childPath(at, 'name'));
        const first = names.get(item.name);
        if (first !== undefined) this.problems.add(childPath(at, 'name'), `"${item.name}" is already the name of ${childPath(path, first)}`);
        else names.set(item.name, i);
      }
      if (typeof item.pgType !== 'string') this.problems.add(childPath(at, 'pgType'), `must be a string, got ${describe(item.pgType)}`);
      this.policy(item, at, false);
    });
    return [...names.keys()];
  }

  computed(value: unknown, path: string, taken: string[]): string[] {
    if (value === undefined) return [];
    if (!this.list(value, path)) return [];
    const names: string[] = [];
    value.forEach((item, i) => {
      const at = childPath(path, i);
      if (!this.object(item, at)) return;
      if (this.text(item.name, childPath(at, 'name'))) {
        this.reserved(reservedProperty(item.name), childPath(at, 'name'));
        if (taken.includes(item.name) || names.includes(item.name))
          this.problems.add(childPath(at, 'name'), `"${item.name}" is already the name of another property`);
        names.push(item.name);
      }
      if (this.text(item.expression, childPath(at, 'expression'))) {
        try {
          jsonata(item.expression);
        } catch (error) {
          const e = error as { message?: string; position?: number };
          this.problems.add(
            childPath(at, 'expression'),
            `is not valid JSONata: ${e.message}${e.position !== undefined ? ` (at character ${e.position})` : ''}`,
          );
        }
      }
      this.rule(item.as, childPath(at, 'as'), true);
    });
    return names;
  }
}

interface NodeFacts {
  id: string;
  properties: Set<string>;
  rowContent: boolean;
}

function checkSource(c: ShapeChecker, source: unknown): void {
  if (!c.object(source, 'source')) return;
  c.textList(source.schemas, 'source.schemas', false, true);
  c.textList(source.include, 'source.include', true);
  c.textList(source.exclude, 'source.exclude', true);
}

function checkOptions(c: ShapeChecker, options: unknown): void {
  if (!c.object(options, 'options')) return;
  c.positiveInteger(options.batchSize, 'options.batchSize', false);
  c.oneOf(options.writeMode, ['merge', 'create'], 'options.writeMode', false);
  c.positiveInteger(options.concurrency, 'options.concurrency', true);
  if (options.naming !== undefined && c.object(options.naming, 'options.naming')) {
    c.oneOf(options.naming.labels, ['UpperCamelSingular', 'asIs'], 'options.naming.labels', true);
    c.oneOf(options.naming.relationshipTypes, ['UPPER_SNAKE', 'asIs'], 'options.naming.relationshipTypes', true);
    c.oneOf(options.naming.properties, ['lowerCamel', 'asIs'], 'options.naming.properties', true);
  }
  if (options.typePolicies !== undefined && c.object(options.typePolicies, 'options.typePolicies')) {
    for (const [type, policy] of Object.entries(options.typePolicies)) {
      const at = childPath('options.typePolicies', type);
      if (c.object(policy, at)) c.policy(policy, at, true);
    }
  }
}

function checkTable(c: ShapeChecker, table: unknown, path: string): void {
  if (!c.object(table, path)) return;
  c.text(table.schema, childPath(path, 'schema'));
  c.text(table.name, childPath(path, 'name'));
}

function checkNodes(c: ShapeChecker, nodes: unknown): Map<string, NodeFacts> {
  const facts = new Map<string, NodeFacts>();
  if (!c.list(nodes, 'nodes')) return facts;
  const identities = new Map<string, number>();
  nodes.forEach((node, i) => {
    const at = childPath('nodes', i);
    if (!c.object(node, at)) return;
    if (c.text(node.id, childPath(at, 'id'))) {
      if (facts.has(node.id)) c.problems.add(childPath(at, 'id'), `"${node.id}" is already the id of another node entry`);
    }
    if (node.table === undefined && node.sql === undefined) c.problems.add(at, 'needs a "table" ({ "schema", "name" }) or an "sql" query to read');
    if (node.table !== undefined && node.sql !== undefined) c.problems.add(at, 'has both "table" and "sql": keep one');
    if (node.table !== undefined) checkTable(c, node.table, childPath(at, 'table'));
    if (node.sql !== undefined) c.text(node.sql, childPath(at, 'sql'));
    const label = c.text(node.label, childPath(at, 'label')) ? node.label : undefined;
    if (label) c.reserved(reservedLabel(label), childPath(at, 'label'));
    c.textList(node.labels, childPath(at, 'labels'), true);
    if (Array.isArray(node.labels)) {
      node.labels.forEach((extra: unknown, i: number) => {
        if (isText(extra)) c.reserved(reservedLabel(extra), childPath(childPath(at, 'labels'), i));
      });
    }
    c.oneOf(node.keySource, KEY_SOURCES, childPath(at, 'keySource'), true);
    const properties = c.properties(node.properties, childPath(at, 'properties'));
    const computed = c.computed(node.computed, childPath(at, 'computed'), properties);
    const all = new Set([...properties, ...computed]);
    const rowContent = node.keySource === 'rowContent';
    const key = c.textList(node.key, childPath(at, 'key'), false, true);
    key.forEach((name, k) => {
      if (all.has(name) || (rowContent && name === ROW_HASH_PROPERTY)) return;
      const hint = name === ROW_HASH_PROPERTY ? ` (a "${ROW_HASH_PROPERTY}" key needs "keySource": "rowContent")` : '';
      c.problems.add(childPath(childPath(at, 'key'), k), `"${name}" is not a property of this entry${hint}; properties: ${[...all].join(', ') || 'none'}`);
    });
    if (new Set(key).size !== key.length) c.problems.add(childPath(at, 'key'), 'names a property twice');
    c.optionalText(node.where, childPath(at, 'where'));
    c.textList(node.warnings, childPath(at, 'warnings'), true);
    if (typeof node.id === 'string' && !facts.has(node.id)) facts.set(node.id, { id: node.id, properties: all, rowContent });
    if (label && key.length) {
      const identity = `${label}\u0000${[...key].sort().join('\u0000')}`;
      const first = identities.get(identity);
      if (first !== undefined) {
        c.problems.add(
          childPath(at, 'label'),
          `label "${label}" with key (${key.join(', ')}) is also the label and key of nodes[${first}]: their nodes would merge into one; give one of them another label`,
        );
      } else identities.set(identity, i);
    }
  });
  return facts;
}

function checkEnd(c: ShapeChecker, end: unknown, path: string, nodes: Map<string, NodeFacts>): void {
  if (!c.object(end, path)) return;
  const target = c.text(end.node, childPath(path, 'node')) ? nodes.get(end.node) : undefined;
  if (typeof end.node === 'string' && end.node.trim() && !target) c.problems.add(childPath(path, 'node'), `there is no node entry "${end.node}"`);
  const matchPath = childPath(path, 'match');
  if (!c.object(end.match, matchPath)) return;
  const entries = Object.entries(end.match);
  if (!entries.length) c.problems.add(matchPath, 'must map at least one property of the end node to a column');
  for (const [property, column] of entries) {
    const at = childPath(matchPath, property);
    if (!isText(column)) c.problems.add(at, `must name a column of the source table, got ${describe(column)}`);
    if (target && !target.properties.has(property) && !(target.rowContent && property === ROW_HASH_PROPERTY)) {
      c.problems.add(at, `"${property}" is not a property of node entry "${target.id}"; properties: ${[...target.properties].join(', ') || 'none'}`);
    }
  }
}

/** `source.constraints` (FKs of partitions folded into one entry): distinct names, `constraint` among them, foreign keys only. */
function checkConstraints(c: ShapeChecker, source: Json, sourcePath: string): void {
  if (source.constraints === undefined) return;
  const path = childPath(sourcePath, 'constraints');
  if (source.kind !== 'foreignKey') {
    c.problems.add(path, 'is for foreign-key entries only ("kind": "foreignKey")');
    return;
  }
  const names = c.textList(source.constraints, path, false, true);
  if (new Set(names).size !== names.length) c.problems.add(path, 'names a constraint twice');
  if (isText(source.constraint) && names.length && !names.includes(source.constraint))
    c.problems.add(path, `must include "constraint" (${JSON.stringify(source.constraint)})`);
}

function checkRelationships(c: ShapeChecker, relationships: unknown, nodes: Map<string, NodeFacts>): void {
  if (!c.list(relationships, 'relationships')) return;
  const ids = new Set<string>();
  relationships.forEach((rel, i) => {
    const at = childPath('relationships', i);
    if (!c.object(rel, at)) return;
    if (c.text(rel.id, childPath(at, 'id'))) {
      if (ids.has(rel.id)) c.problems.add(childPath(at, 'id'), `"${rel.id}" is already the id of another relationship entry`);
      ids.add(rel.id);
    }
    c.text(rel.type, childPath(at, 'type'));
    const sourcePath = childPath(at, 'source');
    if (c.object(rel.source, sourcePath)) {
      c.oneOf(rel.source.kind, ['foreignKey', 'joinTable'], childPath(sourcePath, 'kind'), false);
      checkTable(c, rel.source.table, childPath(sourcePath, 'table'));
      if (rel.source.kind === 'foreignKey') c.text(rel.source.constraint, childPath(sourcePath, 'constraint'));
      checkConstraints(c, rel.source, sourcePath);
    }
    checkEnd(c, rel.from, childPath(at, 'from'), nodes);
    checkEnd(c, rel.to, childPath(at, 'to'), nodes);
    c.properties(rel.properties, childPath(at, 'properties'));
    c.optionalText(rel.where, childPath(at, 'where'));
    c.textList(rel.warnings, childPath(at, 'warnings'), true);
  });
}

/** Adds every problem of the plan's own structure to `problems`. */
export function checkPlanShape(plan: unknown, problems: ProblemList): void {
  const c = new ShapeChecker(problems);
  if (!c.object(plan, '')) return;
  if (plan.version !== PLAN_VERSION) problems.add('version', `must be ${PLAN_VERSION} (the plan format this pg2graph reads), got ${describe(plan.version)}`);
  checkSource(c, plan.source);
  checkOptions(c, plan.options);
  const nodes = checkNodes(c, plan.nodes);
  checkRelationships(c, plan.relationships, nodes);
  c.textList(plan.warnings, 'warnings', true);
}
