/**
 * One SELECT -> one Cypher query: MATCH clauses from FROM, WHERE, a WITH that groups when the SQL aggregates,
 * RETURN with the SQL's output names, ORDER BY (Postgres' NULLS FIRST / LAST kept), SKIP and LIMIT.
 */
import type { Node, SelectStmt, SortBy } from 'libpg-query';
import type { GraphPlan } from '../plan/types';
import { outputName } from './column-names';
import { containsAggregate, Expressions, type Grouping } from './expressions';
import { FromBuilder, hasColumn, type FromResult, type NodeSlot, type RelationshipSlot, type Step } from './from';
import { quoteName, VariableNames } from './names';
import { Notes } from './notes';
import type { ParsedStatement } from './parse';
import { PlanTables } from './plan-tables';
import { invalidInput, unsupported } from './refuse';
import { columnLabel, groupable, Scope, type Expr } from './scope';
import { filteredProperties } from './filtered';
import { locationOf, stringOf } from './tree';
import type { TranslateOptions, Translation } from './types';

interface Item {
  name: string;
  node: Node;
  position?: number;
}

type Position = ParsedStatement['positionOf'];

export function translateSelect(parsed: ParsedStatement, plan: GraphPlan, options: TranslateOptions = {}): Translation {
  if (options.dialect !== undefined && options.dialect !== 'neo4j')
    throw invalidInput(`Unknown dialect "${String(options.dialect)}"; the translator writes Neo4j's Cypher`);
  const select = (parsed.stmt as { SelectStmt: SelectStmt }).SelectStmt;
  const positionOf = parsed.positionOf;
  refuseClauses(select, positionOf);
  const notes = new Notes();
  const from = new FromBuilder(new PlanTables(plan), positionOf, notes).build(select.fromClause ?? []);
  const items = selectItems(select, from, positionOf);
  const names = new VariableNames(items.map((i) => i.name));
  for (const slot of from.slots) slot.variable = names.allocate(slot.preferred);
  for (const rel of from.relationships) if (rel.preferred) rel.variable = names.allocate(rel.preferred);
  const ctx = { scope: new Scope(from.ranges, positionOf), positionOf, notes, params: new Set<number>(), names };
  const row = new Expressions(ctx);

  const clauses = matchClauses(from, row, select.whereClause);
  const sortNodes = (select.sortClause ?? []).map((s) => ('SortBy' in s ? s.SortBy.node! : s));
  const grouped = !!select.groupClause?.length || !!select.havingClause || containsAggregate(items.map((i) => i.node)) || containsAggregate(sortNodes);
  const distinct = !!select.distinctClause?.length;
  let exprs: Expr[];
  let projection = row;
  let grouping: Grouping | undefined;
  let having: string | undefined;
  if (grouped) {
    grouping = { keys: [], aggregates: [] };
    for (const key of select.groupClause ?? []) {
      const e = row.expr(groupKey(key, items, ctx.scope, positionOf));
      if (!groupable(e))
        throw unsupported(`GROUP BY ${columnLabel(e)}`, positionOf(locationOf(key)), 'Cypher would tell values apart that Postgres groups together');
      if (!grouping.keys.some((k) => k.text === e.text)) grouping.keys.push({ text: e.text, alias: names.allocate('g') });
    }
    projection = new Expressions(ctx, grouping);
    exprs = items.map((i) => projection.expr(i.node));
    if (select.havingClause) having = projection.condition(select.havingClause);
  } else {
    exprs = items.map((i) => row.expr(i.node));
  }
  exprs.forEach((e, i) => {
    if (e.decimalLiteral !== undefined)
      throw unsupported(
        `the decimal constant ${e.decimalLiteral} in the select list`,
        items[i].position,
        'Postgres returns it as an exact numeric, Cypher as a float',
      );
    if (distinct && !groupable(e))
      throw unsupported(`DISTINCT over ${columnLabel(e)}`, items[i].position, 'Cypher would tell values apart that Postgres counts as equal');
  });
  const order = orderBy(select.sortClause ?? [], items, exprs, projection, distinct, notes, positionOf);
  if (grouping) {
    const parts = [...grouping.keys.map((k) => `${k.text} AS ${k.alias}`), ...grouping.aggregates.map((a) => `${a.text} AS ${a.alias}`)];
    clauses.push(`WITH ${grouping.aggregates.length ? '' : 'DISTINCT '}${parts.join(', ')}`);
    if (having) clauses.push(`WHERE ${having}`);
  }
  clauses.push(`RETURN ${distinct ? 'DISTINCT ' : ''}${exprs.map((e, i) => `${e.text} AS ${quoteName(items[i].name)}`).join(', ')}`);
  if (order.length) clauses.push(`ORDER BY ${order.join(', ')}`);
  const skip = bound(select.limitOffset, 'OFFSET', ctx.params, positionOf);
  const limit = bound(select.limitCount, 'LIMIT', ctx.params, positionOf);
  if (skip !== undefined) clauses.push(`SKIP ${skip}`);
  if (limit !== undefined) clauses.push(`LIMIT ${limit}`);
  if ((skip !== undefined || limit !== undefined) && !order.length)
    notes.add('LIMIT_WITHOUT_ORDER', 'LIMIT or OFFSET without ORDER BY: which rows come back is not defined, in Postgres or in Cypher');

  const parameters: Record<string, unknown> = {};
  for (const n of [...ctx.params].sort((a, b) => a - b)) parameters[`p${n}`] = options.params?.[n - 1] ?? null;
  const filters = filteredProperties(
    [
      { clause: 'where', nodes: select.whereClause ? [select.whereClause] : [] },
      { clause: 'order', nodes: sortNodes },
    ],
    ctx.scope,
    from.slots,
  );
  return { cypher: clauses.join('\n'), parameters, columns: items.map((i) => i.name), notes: notes.list, ordered: order.length > 0, filters };
}

function refuseClauses(select: SelectStmt, positionOf: Position): void {
  const first = (s: SelectStmt | undefined) => positionOf(locationOf(s?.targetList?.[0]));
  if (select.op && select.op !== 'SETOP_NONE') throw unsupported(`${select.op.replace('SETOP_', '')}${select.all ? ' ALL' : ''}`, first(select.rarg));
  if (select.withClause)
    throw unsupported(select.withClause.recursive ? 'WITH RECURSIVE' : 'WITH (a common table expression)', positionOf(select.withClause.location ?? 0));
  if (select.valuesLists?.length) throw unsupported('VALUES', undefined);
  if (select.intoClause) throw unsupported('SELECT INTO', undefined);
  if (select.windowClause?.length) throw unsupported('WINDOW', undefined);
  if (select.lockingClause?.length) throw unsupported('FOR UPDATE / FOR SHARE', undefined);
  if (select.distinctClause?.some((d) => Object.keys(d).length > 0))
    throw unsupported('DISTINCT ON', positionOf(locationOf(select.distinctClause.find((d) => Object.keys(d).length > 0))));
  if (select.groupDistinct) throw unsupported('GROUP BY DISTINCT', undefined);
  for (const key of select.groupClause ?? [])
    if ('GroupingSet' in key) throw unsupported('GROUPING SETS / ROLLUP / CUBE', positionOf(key.GroupingSet.location));
  if (select.limitOption === 'LIMIT_OPTION_WITH_TIES') throw unsupported('FETCH ... WITH TIES', undefined);
  if (!select.fromClause?.length && select.whereClause) throw unsupported('WHERE without FROM', positionOf(locationOf(select.whereClause)));
}

/** The select list with `*` and `t.*` expanded into the tables' mapped columns, each with its output name. */
function selectItems(select: SelectStmt, from: FromResult, positionOf: Position): Item[] {
  const items: Item[] = [];
  for (const target of select.targetList ?? []) {
    if (!('ResTarget' in target) || !target.ResTarget.val) throw unsupported('this select item', undefined);
    const res = target.ResTarget;
    const position = positionOf(res.location);
    if (res.indirection?.length) throw unsupported('a subscript in the select list', position);
    const val = res.val!;
    const fields = 'ColumnRef' in val ? (val.ColumnRef.fields ?? []) : [];
    if (fields.length && 'A_Star' in fields[fields.length - 1]) {
      const qualifier = fields.length > 1 ? stringOf(fields[fields.length - 2]) : undefined;
      const ranges = qualifier === undefined ? from.ranges : from.ranges.filter((r) => r.alias === qualifier);
      if (!ranges.length) throw invalidInput(qualifier ? `Missing FROM entry for table "${qualifier}"` : 'SELECT * with no tables', { position });
      for (const range of ranges) {
        if (range.kind === 'joinTable') throw unsupported(`* of the join table ${range.table}`, position, 'the plan does not keep its column order');
        if (range.entry.leftOut?.length) {
          throw unsupported(
            `* of ${range.table}`,
            position,
            `the plan leaves out ${range.entry.leftOut.map((l) => l.column).join(', ')}, which Postgres would return`,
          );
        }
        for (const p of range.entry.properties) {
          items.push({
            name: p.column,
            position,
            node: { ColumnRef: { fields: [{ String: { sval: range.alias } }, { String: { sval: p.column } }], location: res.location } },
          });
        }
      }
      continue;
    }
    items.push({ name: res.name ?? outputName(val), node: val, position });
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name))
      throw unsupported(`the output column name "${item.name}" twice`, item.position, 'Cypher needs distinct column names: give one an alias');
    seen.add(item.name);
  }
  return items;
}

function patternOf(step: Step): string {
  const node = (slot: NodeSlot) => `(${slot.variable}:${quoteName(slot.label)})`;
  if (step.node) return node(step.node);
  const rel: RelationshipSlot = step.relationship!;
  return `${node(rel.from)}-[${rel.variable ?? ''}:${quoteName(rel.type)}]->${node(rel.to)}`;
}

/** MATCH for the inner joins (their conditions and the SQL WHERE after them), OPTIONAL MATCH for each LEFT JOIN. */
function matchClauses(from: FromResult, row: Expressions, where: Node | undefined): string[] {
  const clauses: string[] = [];
  const inner: string[] = [];
  const optional = from.steps.filter((s) => s.optional);
  for (const step of from.steps.filter((s) => !s.optional)) {
    clauses.push(`MATCH ${patternOf(step)}`);
    inner.push(...step.conditions.map((c) => row.condition(c)));
  }
  const whereText = where ? row.condition(where) : undefined;
  if (!optional.length && whereText) inner.push(whereText);
  if (inner.length) clauses.push(`WHERE ${inner.join(' AND ')}`);
  for (const step of optional) {
    clauses.push(`OPTIONAL MATCH ${patternOf(step)}`);
    const conditions = step.conditions.map((c) => row.condition(c));
    if (conditions.length) clauses.push(`WHERE ${conditions.join(' AND ')}`);
  }
  if (optional.length && whereText) clauses.push(`WITH *`, `WHERE ${whereText}`);
  return clauses;
}

/** A GROUP BY item: an input column first (Postgres' rule for GROUP BY), else an output name, or a select item number. */
function groupKey(key: Node, items: Item[], scope: Scope, positionOf: Position): Node {
  const position = positionOf(locationOf(key));
  if ('A_Const' in key && key.A_Const.ival !== undefined) {
    const n = key.A_Const.ival.ival ?? 0;
    if (n < 1 || n > items.length) throw invalidInput(`GROUP BY position ${n} is not in select list`, { position });
    return items[n - 1].node;
  }
  if ('ColumnRef' in key && key.ColumnRef.fields?.length === 1) {
    const name = stringOf(key.ColumnRef.fields[0]);
    const isInput = name !== undefined && scope.ranges.some((r) => hasColumn(r, name));
    const item = items.find((i) => i.name === name);
    if (!isInput && item) return item.node;
  }
  return key;
}

function orderBy(sorts: Node[], items: Item[], exprs: Expr[], projection: Expressions, distinct: boolean, notes: Notes, positionOf: Position): string[] {
  const keys: string[] = [];
  for (const sortNode of sorts) {
    const sort = (sortNode as { SortBy: SortBy }).SortBy;
    const position = positionOf(locationOf(sort.node));
    if (sort.sortby_dir === 'SORTBY_USING') throw unsupported('ORDER BY ... USING', position);
    const node = sort.node!;
    let index = -1;
    if ('A_Const' in node && node.A_Const.ival !== undefined) {
      index = (node.A_Const.ival.ival ?? 0) - 1;
      if (index < 0 || index >= items.length) throw invalidInput(`ORDER BY position ${index + 1} is not in select list`, { position });
    } else if ('ColumnRef' in node && node.ColumnRef.fields?.length === 1) {
      const name = stringOf(node.ColumnRef.fields[0]);
      const named = items.map((item, i) => (item.name === name ? i : -1)).filter((i) => i >= 0);
      if (named.length > 1) throw invalidInput(`ORDER BY "${name}" is ambiguous`, { position });
      if (named.length === 1) index = named[0];
    }
    let text: string;
    let e: Expr;
    if (index >= 0) {
      e = exprs[index];
      text = quoteName(items[index].name);
    } else {
      e = projection.expr(node);
      const same = exprs.findIndex((x) => x.text === e.text);
      if (same >= 0) text = quoteName(items[same].name);
      else if (distinct) throw invalidInput('For SELECT DISTINCT, ORDER BY expressions must appear in select list', { position });
      else text = e.text;
    }
    if (e.kind === 'text' || e.kind === 'padded') {
      notes.add('TEXT_ORDER_COLLATION', `ORDER BY ${columnLabel(e)}: Postgres orders text by the database's collation, Cypher by code points`, position);
    } else if (!['integer', 'float', 'boolean', 'null'].includes(e.kind) || e.decimalLiteral !== undefined) {
      throw unsupported(`ORDER BY ${columnLabel(e)}`, position, 'Cypher does not order these values as Postgres does');
    }
    const descending = sort.sortby_dir === 'SORTBY_DESC';
    // Postgres' and Cypher's defaults agree (NULLs last ascending, first descending); the other order needs a key before
    if (sort.sortby_nulls === 'SORTBY_NULLS_FIRST' && !descending) keys.push(`${text} IS NULL DESC`);
    if (sort.sortby_nulls === 'SORTBY_NULLS_LAST' && descending) keys.push(`${text} IS NULL`);
    keys.push(`${text}${descending ? ' DESC' : ''}`);
  }
  return keys;
}

/** LIMIT / OFFSET: a constant or a parameter. */
function bound(node: Node | undefined, what: string, params: Set<number>, positionOf: Position): string | undefined {
  if (!node) return undefined;
  const position = positionOf(locationOf(node));
  if ('A_Const' in node) {
    if (node.A_Const.isnull) return undefined;
    if (node.A_Const.ival !== undefined) {
      const n = node.A_Const.ival.ival ?? 0;
      if (n < 0) throw invalidInput(`${what} must not be negative`, { position });
      return String(n);
    }
  }
  if ('ParamRef' in node) {
    params.add(node.ParamRef.number ?? 0);
    return `$p${node.ParamRef.number ?? 0}`;
  }
  throw unsupported(`this ${what} expression`, position);
}
