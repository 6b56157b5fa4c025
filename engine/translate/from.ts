/**
 * FROM and JOIN -> graph patterns. A join along a foreign key of the plan (the ON condition equates exactly its
 * columns, written either way round) is that relationship in the plan's direction; two joins through a join
 * table are one relationship; any other join is a cartesian pattern filtered by its condition (noted). Inner
 * joins are MATCH, LEFT JOIN is OPTIONAL MATCH with the ON condition as its WHERE, which keeps SQL's meaning.
 */
import type { Node, RangeVar } from 'libpg-query';
import type { NodeEntry, RelationshipEnd, RelationshipEntry } from '../plan/types';
import { columnOfProperty, PlanTables } from './plan-tables';
import { invalidInput, unsupported } from './refuse';
import { conjuncts, firstLocation, locationOf, nodeKind, stringOf } from './tree';
import type { Notes } from './notes';

export interface NodeSlot {
  label: string;
  entry: NodeEntry;
  /** The name the variable would like (the alias of the range bound to it). */
  preferred: string;
  variable: string;
}

export interface RelationshipSlot {
  type: string;
  from: NodeSlot;
  to: NodeSlot;
  /** Set for join-table ranges: their columns are properties of the relationship. */
  preferred?: string;
  variable?: string;
}

export type Range =
  | { kind: 'node'; alias: string; table: string; entry: NodeEntry; slot: NodeSlot; position?: number }
  | { kind: 'joinTable'; alias: string; table: string; entry: RelationshipEntry; relationship: RelationshipSlot; position?: number };

/** One MATCH or OPTIONAL MATCH clause and the conditions that go with it. */
export interface Step {
  optional: boolean;
  node?: NodeSlot;
  relationship?: RelationshipSlot;
  /** For OPTIONAL MATCH: its WHERE (the rest of the ON condition). For MATCH they join the query's WHERE. */
  conditions: Node[];
}

export interface FromResult {
  ranges: Range[];
  steps: Step[];
  slots: NodeSlot[];
  relationships: RelationshipSlot[];
}

type Position = (location: number | undefined) => number | undefined;

interface ColumnSide {
  range: Range;
  column: string;
}

/** A way a new range can attach to one already in FROM: the column pairs that must be equal, and what it makes. */
interface Attachment {
  pairs: [ColumnSide, ColumnSide][];
  entry: RelationshipEntry;
  throughJoinTable: boolean;
  apply(): Step | undefined;
}

export class FromBuilder {
  private readonly ranges: Range[] = [];
  private readonly steps: Step[] = [];
  private readonly slots: NodeSlot[] = [];
  private readonly relationships: RelationshipSlot[] = [];
  private sawOptional = false;

  constructor(
    private readonly tables: PlanTables,
    private readonly positionOf: Position,
    private readonly notes: Notes,
  ) {}

  build(fromClause: Node[]): FromResult {
    fromClause.forEach((item, i) => this.item(item, i > 0));
    return { ranges: this.ranges, steps: this.steps, slots: this.slots, relationships: this.relationships };
  }

  private item(node: Node, cartesian: boolean): void {
    if ('RangeVar' in node) {
      if (cartesian) this.requireInner(node, 'a second FROM item');
      const range = this.range(node.RangeVar);
      if (cartesian) {
        this.notes.add(
          'CARTESIAN_JOIN',
          `${range.table} is a separate FROM item: a cartesian pattern, filtered by WHERE`,
          this.positionOf(node.RangeVar.location),
        );
      }
      this.steps.push(this.standalone(range, false, []));
      return;
    }
    if ('JoinExpr' in node) {
      const join = node.JoinExpr;
      if (join.isNatural) throw unsupported('NATURAL JOIN', this.positionOf(locationOf(join.rarg)));
      if (join.usingClause?.length) throw unsupported('JOIN ... USING', this.positionOf(locationOf(join.rarg)));
      if (join.alias) throw unsupported('an alias of a join', this.positionOf(locationOf(join.rarg)));
      if (!join.larg || !join.rarg) throw unsupported('this join', undefined);
      this.item(join.larg, cartesian);
      if (!('RangeVar' in join.rarg)) throw unsupported(this.itemName(join.rarg), this.positionOf(locationOf(join.rarg)));
      const position = this.positionOf(join.rarg.RangeVar.location);
      const optional = join.jointype === 'JOIN_LEFT';
      if (join.jointype !== 'JOIN_INNER' && !optional) throw unsupported(`${(join.jointype ?? '').replace('JOIN_', '')} JOIN`, position);
      if (!optional) this.requireInner(join.rarg, 'an inner join');
      this.join(join.rarg.RangeVar, conjuncts(join.quals), optional, position);
      return;
    }
    throw unsupported(this.itemName(node), this.positionOf(locationOf(node) ?? firstLocation(node)));
  }

  private itemName(node: Node): string {
    const kind = nodeKind(node);
    if (kind === 'RangeSubselect') return 'a subquery in FROM';
    if (kind === 'RangeFunction') return 'a function in FROM';
    if (kind === 'JoinExpr') return 'a parenthesized join';
    return `${kind} in FROM`;
  }

  /** Inner joins must come before every LEFT JOIN: after one, an inner join would filter its NULL rows. */
  private requireInner(node: Node, what: string): void {
    if (this.sawOptional) throw unsupported(`${what} after a LEFT JOIN`, this.positionOf(locationOf(node)), 'put the inner joins first');
  }

  private range(rangeVar: RangeVar): Range {
    const position = this.positionOf(rangeVar.location);
    if (rangeVar.catalogname) throw unsupported('a table with a database name', position);
    if (rangeVar.alias?.colnames?.length) throw unsupported('column aliases of a table', position);
    if (rangeVar.inh === false) throw unsupported('ONLY', position);
    const name = rangeVar.relname ?? '';
    const found = this.tables.resolve({ schema: rangeVar.schemaname, name, position });
    const alias = rangeVar.alias?.aliasname ?? name;
    if (this.ranges.some((r) => r.alias === alias)) throw invalidInput(`Table name "${alias}" is specified more than once in FROM`, { table: alias, position });
    const table = rangeVar.schemaname ? `${rangeVar.schemaname}.${name}` : name;
    if (found.kind === 'node') {
      const slot = this.slot(found.entry, alias);
      const range: Range = { kind: 'node', alias, table, entry: found.entry, slot, position };
      this.ranges.push(range);
      return range;
    }
    const entry = found.entry;
    const relationship: RelationshipSlot = {
      type: entry.type,
      from: this.slot(this.tables.node(entry.from.node), `${alias}_from`),
      to: this.slot(this.tables.node(entry.to.node), `${alias}_to`),
      preferred: alias,
    };
    this.relationships.push(relationship);
    const range: Range = { kind: 'joinTable', alias, table, entry, relationship, position };
    this.ranges.push(range);
    return range;
  }

  private slot(entry: NodeEntry, preferred: string): NodeSlot {
    const slot: NodeSlot = { label: entry.label, entry, preferred, variable: '' };
    this.slots.push(slot);
    return slot;
  }

  /** The clause that brings a range in on its own. */
  private standalone(range: Range, optional: boolean, conditions: Node[]): Step {
    if (range.kind === 'node') return { optional, node: range.slot, conditions };
    return { optional, relationship: range.relationship, conditions };
  }

  private join(rangeVar: RangeVar, on: Node[], optional: boolean, position: number | undefined): void {
    const earlier = [...this.ranges];
    const range = this.range(rangeVar);
    const equalities = on.map((condition) => this.equality(condition));
    const candidates = earlier.flatMap((other) => this.attachments(range, other));
    const matching = candidates.filter((candidate) => candidate.pairs.every(([a, b]) => equalities.some((eq) => eq !== undefined && sameEquality(eq, a, b))));
    if (matching.length > 1) throw unsupported(`the join of ${range.table}`, position, 'its ON condition matches more than one relationship of the plan');
    if (matching.length === 0) {
      this.notes.add(
        'CARTESIAN_JOIN',
        `the join of ${range.table} follows no foreign key of the plan: a cartesian pattern, filtered by the ON condition`,
        position,
      );
      if (optional && range.kind === 'joinTable') throw unsupported('LEFT JOIN of a join table', position);
      this.steps.push(this.standalone(range, optional, on));
      if (optional) this.sawOptional = true;
      return;
    }
    const chosen = matching[0];
    const rest = on.filter((_, i) => {
      const eq = equalities[i];
      return !(eq && chosen.pairs.some(([a, b]) => sameEquality(eq, a, b)));
    });
    if (optional && (range.kind === 'joinTable' || chosen.throughJoinTable)) throw unsupported('LEFT JOIN through a join table', position);
    this.tables.checkPattern(chosen.entry, position);
    const step = chosen.apply();
    if (step) {
      step.optional = optional;
      step.conditions = rest;
      this.steps.push(step);
    } else {
      this.attachConditions(rest);
    }
    if (optional) this.sawOptional = true;
  }

  /** Conditions of an inner join that made no clause of its own go to the query's WHERE with the last MATCH. */
  private attachConditions(conditions: Node[]): void {
    if (!conditions.length) return;
    const last = this.steps[this.steps.length - 1];
    last.conditions.push(...conditions);
  }

  /** `a.x = b.y` between two columns of FROM tables, else undefined. */
  private equality(condition: Node): [ColumnSide, ColumnSide] | undefined {
    if (!('A_Expr' in condition)) return undefined;
    const expr = condition.A_Expr;
    if (expr.kind !== 'AEXPR_OP' || expr.name?.length !== 1 || stringOf(expr.name[0]) !== '=') return undefined;
    const left = this.columnSide(expr.lexpr);
    const right = this.columnSide(expr.rexpr);
    return left && right ? [left, right] : undefined;
  }

  private columnSide(node: Node | undefined): ColumnSide | undefined {
    if (!node || !('ColumnRef' in node)) return undefined;
    const fields = (node.ColumnRef.fields ?? []).map(stringOf);
    if (fields.some((f) => f === undefined)) return undefined;
    const names = fields as string[];
    const column = names[names.length - 1];
    if (names.length === 1) {
      const owners = this.ranges.filter((r) => hasColumn(r, column));
      return owners.length === 1 ? { range: owners[0], column } : undefined;
    }
    const qualifier = names[names.length - 2];
    const range = this.ranges.find((r) => r.alias === qualifier);
    return range ? { range, column } : undefined;
  }

  /** Every way `range` (new) can attach to `other` (already in FROM) along a relationship of the plan. */
  private attachments(range: Range, other: Range): Attachment[] {
    const found: Attachment[] = [];
    if (range.kind === 'node' && other.kind === 'node') {
      for (const fk of this.tables.foreignKeysOf(other.entry)) {
        if (fk.to.node === range.entry.id) found.push(this.foreignKey(fk, other, range));
      }
      for (const fk of this.tables.foreignKeysOf(range.entry)) {
        if (fk.to.node === other.entry.id) found.push(this.foreignKey(fk, range, other));
      }
    }
    if (range.kind === 'node' && other.kind === 'joinTable') {
      for (const side of ['from', 'to'] as const) {
        const end = other.entry[side];
        const slot = other.relationship[side];
        if (end.node !== range.entry.id || this.bound(slot)) continue;
        found.push({
          pairs: endPairs(end, other, range, range.entry),
          entry: other.entry,
          throughJoinTable: true,
          apply: () => {
            this.rebind(range, slot);
            return undefined;
          },
        });
      }
    }
    if (range.kind === 'joinTable' && other.kind === 'node') {
      for (const side of ['from', 'to'] as const) {
        const end = range.entry[side];
        if (end.node !== other.entry.id) continue;
        found.push({
          pairs: endPairs(end, range, other, other.entry),
          entry: range.entry,
          throughJoinTable: true,
          apply: () => {
            this.replaceSlot(range.relationship, side, other.slot);
            return { optional: false, relationship: range.relationship, conditions: [] };
          },
        });
      }
    }
    return found;
  }

  /** A foreign key from the rows of `referencing` to those of `referenced`. */
  private foreignKey(fk: RelationshipEntry, referencing: Range & { kind: 'node' }, referenced: Range & { kind: 'node' }): Attachment {
    const pairs = Object.entries(fk.to.match).map(([property, column]): [ColumnSide, ColumnSide] => [
      { range: referencing, column },
      { range: referenced, column: columnOfProperty(referenced.entry, property) ?? `\u0000${property}` },
    ]);
    return {
      pairs,
      entry: fk,
      throughJoinTable: false,
      apply: () => {
        const relationship: RelationshipSlot = { type: fk.type, from: referencing.slot, to: referenced.slot };
        this.relationships.push(relationship);
        return { optional: false, relationship, conditions: [] };
      },
    };
  }

  private bound(slot: NodeSlot): boolean {
    return this.ranges.some((r) => r.kind === 'node' && r.slot === slot);
  }

  /** The new node range is the end of an earlier join table's relationship: it takes that slot. */
  private rebind(range: Range & { kind: 'node' }, slot: NodeSlot): void {
    this.slots.splice(this.slots.indexOf(range.slot), 1);
    slot.preferred = range.alias;
    range.slot = slot;
  }

  /** The new join table's relationship starts or ends at an earlier node range. */
  private replaceSlot(relationship: RelationshipSlot, side: 'from' | 'to', slot: NodeSlot): void {
    this.slots.splice(this.slots.indexOf(relationship[side]), 1);
    relationship[side] = slot;
  }
}

/** Pairs of a join table's end: its column = the end node's column of the matched property. */
function endPairs(end: RelationshipEnd, joinTable: Range, node: Range, entry: NodeEntry): [ColumnSide, ColumnSide][] {
  return Object.entries(end.match).map(([property, column]) => [
    { range: joinTable, column },
    { range: node, column: columnOfProperty(entry, property) ?? `\u0000${property}` },
  ]);
}

function sameSide(a: ColumnSide, b: ColumnSide): boolean {
  return a.range === b.range && a.column === b.column;
}

function sameEquality(eq: [ColumnSide, ColumnSide], a: ColumnSide, b: ColumnSide): boolean {
  return (sameSide(eq[0], a) && sameSide(eq[1], b)) || (sameSide(eq[0], b) && sameSide(eq[1], a));
}

/** Whether a range has a column of that name (mapped or not: an unmapped one still makes a name ambiguous). */
export function hasColumn(range: Range, column: string): boolean {
  if (range.kind === 'node') return range.entry.properties.some((p) => p.column === column) || !!range.entry.leftOut?.some((l) => l.column === column);
  const entry = range.entry;
  return (
    Object.values(entry.from.match).includes(column) ||
    Object.values(entry.to.match).includes(column) ||
    entry.properties.some((p) => p.column === column) ||
    !!entry.leftOut?.some((l) => l.column === column)
  );
}
