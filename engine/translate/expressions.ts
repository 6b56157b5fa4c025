/**
 * SQL expressions -> Cypher expressions, keeping Postgres' answers: each operator and function is translated
 * only for the kinds of values where Cypher computes the same (three-valued logic included), else refused with
 * the reason. In a grouped query (GROUP BY or aggregates) an expression is rewritten over the WITH that groups:
 * a grouping key or an aggregate becomes its alias there.
 */
import type { A_Const, A_Expr, CaseExpr, FuncCall, Node } from 'libpg-query';
import { decimalScale, isNumber, type Kind } from './kinds';
import { stringLiteral, type VariableNames } from './names';
import type { Notes } from './notes';
import { likePredicate } from './like';
import { invalidInput, unsupported } from './refuse';
import { columnLabel, groupable, type Expr, type Scope } from './scope';
import { containsKind, locationOf, nodeKind, stringOf } from './tree';

export const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);

export interface Context {
  scope: Scope;
  positionOf: (location: number | undefined) => number | undefined;
  notes: Notes;
  /** $n numbers used. */
  params: Set<number>;
  names: VariableNames;
}

/** The WITH of a grouped query: grouping keys and aggregates, each under its alias. */
export interface Grouping {
  keys: { text: string; alias: string }[];
  aggregates: { text: string; alias: string }[];
}

const NODE_NAMES: Record<string, string> = {
  SubLink: 'a subquery',
  TypeCast: 'a cast',
  A_ArrayExpr: 'an ARRAY constructor',
  RowExpr: 'a row constructor',
  SQLValueFunction: 'a SQL value function (CURRENT_DATE, ...)',
  BooleanTest: 'IS TRUE / IS FALSE / IS UNKNOWN',
  MinMaxExpr: 'GREATEST / LEAST',
  A_Indirection: 'a subscript or field selection',
  CollateClause: 'COLLATE',
  GroupingFunc: 'GROUPING()',
  XmlExpr: 'an XML function',
};

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

export function isAggregateCall(node: Node): node is { FuncCall: FuncCall } {
  return 'FuncCall' in node && AGGREGATES.has(functionName(node.FuncCall) ?? '');
}

/** The function's name when it is unqualified or in pg_catalog. */
export function functionName(call: FuncCall): string | undefined {
  const names = (call.funcname ?? []).map(stringOf);
  if (names.length === 1) return names[0];
  if (names.length === 2 && names[0] === 'pg_catalog') return names[1];
  return undefined;
}

export function containsAggregate(node: Node | Node[] | undefined): boolean {
  if (!node) return false;
  if (Array.isArray(node)) return node.some(containsAggregate);
  if (isAggregateCall(node)) return true;
  return Object.values(node).some((inner) => inner && typeof inner === 'object' && childNodes(inner).some(containsAggregate));
}

/** Child nodes of a node's fields (nodes are one-key objects whose key starts upper case). */
function childNodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.flatMap(childNodes);
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  if (keys.length === 1 && /^[A-Z]/.test(keys[0])) return [value as Node];
  return Object.values(value).flatMap(childNodes);
}

export class Expressions {
  private readonly row: Expressions;

  constructor(
    private readonly ctx: Context,
    private readonly grouping?: Grouping,
  ) {
    this.row = grouping ? new Expressions(ctx) : this;
  }

  /** The Cypher of an expression. */
  expr(node: Node): Expr {
    if (!this.grouping) return this.visit(node);
    if (isAggregateCall(node)) return this.aggregate(node.FuncCall);
    if (!containsAggregate(node)) {
      const row = this.row.expr(node);
      const key = this.grouping.keys.find((k) => k.text === row.text);
      if (key) return { ...row, text: key.alias };
      if (!containsKind(node, new Set(['ColumnRef']))) return row;
      if ('ColumnRef' in node) {
        const column = row.column!;
        const range = column.range;
        const keyColumns = range.kind === 'node' ? range.entry.key.map((name) => range.entry.properties.find((p) => p.name === name)?.column) : [];
        const keyTexts = keyColumns.every((c) => c !== undefined) ? keyColumns.map((c) => this.ctx.scope.property(range, c).text) : [];
        if (keyTexts.length && keyTexts.every((text) => this.grouping!.keys.some((k) => k.text === text))) {
          const alias = this.ctx.names.allocate('g');
          this.grouping.keys.push({ text: row.text, alias });
          return { ...row, text: alias };
        }
        throw invalidInput(`Column "${range.alias}.${column.name}" must appear in the GROUP BY clause or be used in an aggregate function`, {
          column: column.name,
          position: this.ctx.positionOf(locationOf(node)),
        });
      }
    }
    return this.visit(node);
  }

  /** A condition (WHERE, ON, HAVING): a boolean. */
  condition(node: Node): string {
    const e = this.expr(node);
    if (!['boolean', 'null', 'unknown'].includes(e.kind))
      throw invalidInput(`The condition at character ${this.ctx.positionOf(locationOf(node))} is not a boolean`, {});
    return e.text;
  }

  private visit(node: Node): Expr {
    const position = this.ctx.positionOf(locationOf(node));
    if ('ColumnRef' in node) return this.ctx.scope.column(node.ColumnRef);
    if ('A_Const' in node) return this.constant(node.A_Const, position);
    if ('ParamRef' in node) {
      const n = node.ParamRef.number ?? 0;
      this.ctx.params.add(n);
      return { text: `$p${n}`, kind: 'unknown' };
    }
    if ('A_Expr' in node) return this.operator(node.A_Expr, position);
    if ('BoolExpr' in node) {
      const args = (node.BoolExpr.args ?? []).map((arg) => this.bool(arg));
      if (node.BoolExpr.boolop === 'NOT_EXPR') return { text: `(NOT ${args[0]})`, kind: 'boolean' };
      return { text: `(${args.join(node.BoolExpr.boolop === 'AND_EXPR' ? ' AND ' : ' OR ')})`, kind: 'boolean' };
    }
    if ('NullTest' in node) {
      if (node.NullTest.argisrow) throw unsupported('IS NULL of a row', position);
      const arg = this.expr(node.NullTest.arg!);
      return { text: `(${arg.text} ${node.NullTest.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL'})`, kind: 'boolean' };
    }
    if ('CaseExpr' in node) return this.caseExpr(node.CaseExpr, position);
    if ('CoalesceExpr' in node) {
      const args = (node.CoalesceExpr.args ?? []).map((arg) => this.expr(arg));
      return { text: `coalesce(${args.map((a) => a.text).join(', ')})`, ...unify(args, 'COALESCE', position) };
    }
    if ('FuncCall' in node) {
      if (isAggregateCall(node)) throw invalidInput(`Aggregate functions are not allowed here (character ${position})`, { position });
      return this.call((node as { FuncCall: FuncCall }).FuncCall, position);
    }
    const kind = nodeKind(node);
    throw unsupported(NODE_NAMES[kind] ?? kind, position);
  }

  private bool(node: Node): string {
    const e = this.expr(node);
    if (!['boolean', 'null', 'unknown'].includes(e.kind))
      throw invalidInput(`Argument of AND/OR/NOT must be a boolean (character ${this.ctx.positionOf(locationOf(node))})`, {});
    return e.text;
  }

  private constant(c: A_Const, position: number | undefined): Expr {
    if (c.isnull) return { text: 'null', kind: 'null' };
    if (c.ival !== undefined) return { text: String(c.ival.ival ?? 0), kind: 'integer' };
    if (c.boolval !== undefined) return { text: c.boolval.boolval ? 'true' : 'false', kind: 'boolean' };
    if (c.sval !== undefined) return { text: stringLiteral(c.sval.sval ?? ''), kind: 'text', stringLiteral: c.sval.sval ?? '' };
    if (c.fval !== undefined) {
      const text = c.fval.fval ?? '0';
      if (/^-?\d+$/.test(text)) {
        const value = BigInt(text);
        if (value > 9223372036854775807n || value < -9223372036854775808n) throw unsupported(`the integer ${text} beyond 64 bits`, position);
        return { text, kind: 'integer' };
      }
      return { text: String(Number(text)), kind: 'float', decimalLiteral: text };
    }
    throw unsupported('this constant', position);
  }

  private operator(e: A_Expr, position: number | undefined): Expr {
    const op = e.name?.length === 1 ? stringOf(e.name[0]) : undefined;
    switch (e.kind) {
      case 'AEXPR_OP': {
        if (!op) throw unsupported('a schema-qualified operator', position);
        if (!e.lexpr) {
          const arg = this.expr(e.rexpr!);
          if (op === '-' && isNumber(arg.kind)) return { text: `(-${arg.text})`, kind: arg.kind, decimalLiteral: arg.decimalLiteral };
          if (op === '+' && isNumber(arg.kind)) return arg;
          throw unsupported(`the prefix operator ${op} on ${columnLabel(arg)}`, position);
        }
        const left = this.expr(e.lexpr);
        const right = this.expr(e.rexpr!);
        if (COMPARISONS.has(op)) return this.compare(op, left, right, position);
        if (ARITHMETIC.has(op)) return this.arithmetic(op, left, right, position);
        if (op === '||') return this.concatenate(left, right, position);
        throw unsupported(`the operator ${op}`, position);
      }
      case 'AEXPR_IN': {
        const left = this.expr(e.lexpr!);
        const items = ('List' in e.rexpr! ? (e.rexpr.List.items ?? []) : []).map((item) => this.expr(item));
        for (const item of items) this.compare('=', left, item, position);
        const text = `(${left.text} IN [${items.map((i) => i.text).join(', ')}])`;
        return { text: op === '<>' ? `(NOT ${text})` : text, kind: 'boolean' };
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN': {
        const subject = this.expr(e.lexpr!);
        const [low, high] = ('List' in e.rexpr! ? (e.rexpr.List.items ?? []) : []).map((item) => this.expr(item));
        const text = `(${this.compare('>=', subject, low, position).text} AND ${this.compare('<=', subject, high, position).text})`;
        return { text: e.kind === 'AEXPR_NOT_BETWEEN' ? `(NOT ${text})` : text, kind: 'boolean' };
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE':
        return this.like(e, op ?? '', position);
      case 'AEXPR_NULLIF': {
        const left = this.expr(e.lexpr!);
        const right = this.expr(e.rexpr!);
        const equal = this.compare('=', left, right, position);
        return { text: `CASE WHEN ${equal.text} THEN null ELSE ${left.text} END`, kind: left.kind, column: left.column, decimalLiteral: left.decimalLiteral };
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT':
        throw unsupported('IS [NOT] DISTINCT FROM', position);
      case 'AEXPR_SIMILAR':
        throw unsupported('SIMILAR TO', position);
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM':
        throw unsupported('BETWEEN SYMMETRIC', position);
      default:
        throw unsupported(
          `the operator ${op ?? ''} ${e.kind === 'AEXPR_OP_ANY' ? 'ANY' : e.kind === 'AEXPR_OP_ALL' ? 'ALL' : (e.kind ?? '')}`.trim(),
          position,
        );
    }
  }

  /** A comparison where Cypher's answer is Postgres' for these kinds, else refused naming why. */
  private compare(op: string, left: Expr, right: Expr, position: number | undefined): Expr {
    const text = () => ({ text: `(${left.text} ${op} ${right.text})`, kind: 'boolean' as Kind });
    if (left.kind === 'null' || right.kind === 'null') return text();
    const equality = op === '=' || op === '<>';
    for (const [side, other] of [
      [left, right],
      [right, left],
    ]) {
      if (side.kind === 'decimal') {
        if (equality && this.sameDecimalText(side, other)) return text();
        throw unsupported(
          `comparing ${columnLabel(side)}`,
          position,
          'numeric is exact decimal text in the graph: Cypher would compare text (1.50 is not 1.5, "10" < "9")',
        );
      }
      if (side.kind === 'padded')
        throw unsupported(
          `comparing ${columnLabel(side)}`,
          position,
          'char(n) keeps its padding in the graph, while Postgres compares without trailing spaces',
        );
      if (side.kind === 'opaque' || side.kind === 'other') {
        throw unsupported(
          `comparing ${columnLabel(side)}`,
          position,
          `Postgres compares ${side.column?.property.pgType ?? 'this type'} by its own rules, not as the text or value the graph holds`,
        );
      }
    }
    if (left.kind === 'unknown' && right.kind === 'unknown') throw unsupported('a comparison of two parameters', position, 'their types are unknown');
    const kinds = [left.kind, right.kind].filter((k) => k !== 'unknown');
    const allNumbers = kinds.every(isNumber);
    const allSame = kinds.every((k) => k === kinds[0]);
    if (!allNumbers && !allSame)
      throw unsupported(
        `comparing ${left.kind} with ${right.kind}`,
        position,
        'Postgres would cast one side; Cypher compares values of different types as unequal',
      );
    if (kinds[0] === 'text' && !equality)
      throw unsupported(
        `the text comparison ${op}`,
        position,
        "its answer depends on the database's collation, which Cypher does not follow (it compares code points)",
      );
    return text();
  }

  /** numeric(p,s) against a literal of exactly s decimals written as Postgres prints it, or against a column of the same scale. */
  private sameDecimalText(decimal: Expr, other: Expr): boolean {
    const scale = decimalScale(decimal.column?.property.pgType ?? '');
    if (scale === undefined) return false;
    if (other.kind === 'decimal') return decimalScale(other.column?.property.pgType ?? '') === scale;
    const literal = other.decimalLiteral ?? (other.kind === 'integer' && /^-?\d+$/.test(other.text) ? other.text : undefined);
    if (literal === undefined) return false;
    const [whole, fraction = ''] = literal.split('.');
    if (!/^-?(0|[1-9]\d*)$/.test(whole) || fraction.length !== scale || whole === '-0') return false;
    other.text = stringLiteral(literal);
    return true;
  }

  private arithmetic(op: string, left: Expr, right: Expr, position: number | undefined): Expr {
    for (const side of [left, right]) {
      if (side.kind === 'decimal')
        throw unsupported(
          `arithmetic on ${columnLabel(side)}`,
          position,
          'numeric is exact decimal text in the graph: Cypher would not compute with it as a number',
        );
      if (!isNumber(side.kind) && side.kind !== 'unknown' && side.kind !== 'null') throw unsupported(`the operator ${op} on ${columnLabel(side)}`, position);
      if (side.column?.property.pgType === 'float4')
        this.ctx.notes.add('FLOAT4_PRECISION', `${columnLabel(side)} is real: Postgres computes with it in single precision, Cypher in double`, position);
    }
    if (left.kind === 'unknown' && right.kind === 'unknown')
      throw unsupported(`the operator ${op} between two parameters`, position, 'their types are unknown');
    const decimal = [left, right].find((s) => s.decimalLiteral !== undefined);
    const other = decimal === left ? right : left;
    if (decimal && !(other.kind === 'float' && other.decimalLiteral === undefined)) {
      throw unsupported(`the decimal constant ${decimal.decimalLiteral}`, position, 'Postgres computes with it exactly (numeric), Cypher would use a float');
    }
    const kinds = [left.kind, right.kind];
    const kind: Kind = kinds.includes('float') ? 'float' : kinds.includes('integer') ? 'integer' : 'null';
    return { text: `(${left.text} ${op} ${right.text})`, kind };
  }

  private concatenate(left: Expr, right: Expr, position: number | undefined): Expr {
    const sides = [left, right];
    for (const side of sides) {
      if (!['text', 'integer', 'unknown', 'null'].includes(side.kind))
        throw unsupported(`|| on ${columnLabel(side)}`, position, 'its text in Postgres differs from the graph value');
    }
    if (!sides.some((s) => s.kind === 'text')) throw unsupported('|| without a text operand', position, 'Cypher would add numbers where Postgres joins text');
    return { text: `(${left.text} + ${right.text})`, kind: 'text' };
  }

  private like(e: A_Expr, op: string, position: number | undefined): Expr {
    const negated = op.startsWith('!');
    const insensitive = e.kind === 'AEXPR_ILIKE';
    const subject = this.expr(e.lexpr!);
    if (subject.kind !== 'text') throw unsupported(`LIKE on ${columnLabel(subject)}`, position, 'only text columns are matched as Postgres does');
    const pattern = e.rexpr && 'A_Const' in e.rexpr ? e.rexpr.A_Const.sval?.sval : undefined;
    if (pattern === undefined || (e.rexpr && !('A_Const' in e.rexpr)))
      throw unsupported('LIKE with a pattern that is not a string constant (or with ESCAPE)', position);
    if (insensitive)
      this.ctx.notes.add(
        'CASE_MAPPING',
        "ILIKE compares lower case as Cypher's toLower makes it, which can differ from the database's locale for some letters",
        position,
      );
    const predicate = likePredicate(insensitive ? `toLower(${subject.text})` : subject.text, insensitive ? pattern.toLowerCase() : pattern);
    if (!predicate) throw invalidInput(`LIKE pattern must not end with escape character (character ${position})`, { position });
    return { text: negated ? `(NOT ${predicate})` : predicate, kind: 'boolean' };
  }

  private caseExpr(c: CaseExpr, position: number | undefined): Expr {
    const subject = c.arg ? this.expr(c.arg) : undefined;
    const whens = (c.args ?? []).map((w) => {
      if (!('CaseWhen' in w)) throw unsupported('this CASE', position);
      const condition = subject ? this.expr(w.CaseWhen.expr!) : undefined;
      if (subject && condition) this.compare('=', subject, condition, position);
      return { when: condition ? condition.text : this.bool(w.CaseWhen.expr!), then: this.expr(w.CaseWhen.result!) };
    });
    const otherwise = c.defresult ? this.expr(c.defresult) : undefined;
    const results = [...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])];
    const text = `CASE${subject ? ` ${subject.text}` : ''}${whens.map((w) => ` WHEN ${w.when} THEN ${w.then.text}`).join('')}${otherwise ? ` ELSE ${otherwise.text}` : ''} END`;
    return { text, ...unify(results, 'CASE', position) };
  }

  private call(call: FuncCall, position: number | undefined): Expr {
    const name = functionName(call);
    if (call.over) throw unsupported(`the window function ${name ?? ''}`.trim(), position);
    if (call.agg_filter || call.agg_order?.length || call.agg_within_group || call.func_variadic || call.agg_star || call.agg_distinct) {
      throw unsupported(`this call of ${name ?? 'a function'}`, position);
    }
    const args = (call.args ?? []).map((arg) => this.expr(arg));
    const text1 = (fn: string) => {
      if (args.length !== 1) throw unsupported(`${name} with ${args.length} arguments`, position);
      if (!['text', 'null', 'unknown'].includes(args[0].kind)) throw unsupported(`${name} of ${columnLabel(args[0])}`, position, 'only text columns');
      return `${fn}(${args[0].text})`;
    };
    switch (name) {
      case 'lower':
      case 'upper':
        this.ctx.notes.add('CASE_MAPPING', `${name}() maps case as Cypher does, which can differ from the database's locale for some letters`, position);
        return { text: text1(name === 'lower' ? 'toLower' : 'toUpper'), kind: 'text' };
      case 'length':
      case 'char_length':
      case 'character_length':
        return { text: text1('size'), kind: 'integer' };
      case 'btrim':
      case 'ltrim':
      case 'rtrim': {
        const chars = args.length === 2 ? args[1].stringLiteral : args.length === 1 ? ' ' : undefined;
        if (chars === undefined) throw unsupported(`${name} with these arguments`, position, 'the characters to trim must be a string constant');
        const subject = args[0];
        if (!['text', 'null', 'unknown'].includes(subject.kind)) throw unsupported(`${name} of ${columnLabel(subject)}`, position, 'only text columns');
        return { text: `${name}(${subject.text}, ${stringLiteral(chars)})`, kind: 'text' };
      }
      case 'concat': {
        const parts = args
          .filter((a) => a.kind !== 'null')
          .map((a) => {
            if (a.kind === 'text') return a.stringLiteral !== undefined ? a.text : `coalesce(${a.text}, '')`;
            if (a.kind === 'integer') return `coalesce(toString(${a.text}), '')`;
            throw unsupported(`concat of ${columnLabel(a)}`, position, 'its text in Postgres differs from the graph value');
          });
        return { text: parts.length ? `(${parts.join(' + ')})` : "''", kind: 'text' };
      }
      default:
        throw unsupported(`the function ${name ?? (call.funcname ?? []).map(stringOf).join('.')}`, position);
    }
  }

  private aggregate(call: FuncCall): Expr {
    const name = functionName(call)!;
    const position = this.ctx.positionOf(call.location);
    if (call.over) throw unsupported(`the window function ${name}`, position);
    if (call.agg_filter || call.agg_order?.length || call.agg_within_group || call.func_variadic) throw unsupported(`this call of ${name}`, position);
    let text: string;
    let kind: Kind;
    if (call.agg_star) {
      if (name !== 'count') throw invalidInput(`${name}(*) is not a function`, { position });
      text = 'count(*)';
      kind = 'integer';
    } else {
      if ((call.args ?? []).length !== 1) throw unsupported(`${name} with ${(call.args ?? []).length} arguments`, position);
      const arg = this.row.expr(call.args![0]);
      const distinct = call.agg_distinct ? 'DISTINCT ' : '';
      if (distinct && !groupable(arg))
        throw unsupported(`${name}(DISTINCT ${columnLabel(arg)})`, position, 'Cypher would tell values apart that Postgres counts as equal');
      const inner = `${distinct}${arg.text}`;
      switch (name) {
        case 'count':
          text = `count(${inner})`;
          kind = 'integer';
          break;
        case 'sum':
        case 'avg':
          if (arg.kind === 'decimal')
            throw unsupported(`${name}(${columnLabel(arg)})`, position, 'numeric is exact decimal text in the graph: Cypher cannot sum it exactly');
          if (!isNumber(arg.kind) || arg.decimalLiteral !== undefined) throw unsupported(`${name} of ${columnLabel(arg)}`, position);
          if (arg.column?.property.pgType === 'float4')
            this.ctx.notes.add('FLOAT4_PRECISION', `${columnLabel(arg)} is real: Postgres sums it in single precision, Cypher in double`, position);
          if (arg.kind === 'float')
            this.ctx.notes.add('FLOAT_SUM_ORDER', `${name} of floats depends on the order of the additions: the last digits may differ`, position);
          if (name === 'avg') {
            if (arg.kind === 'integer') this.ctx.notes.add('AVG_AS_FLOAT', `avg of integers is an exact numeric in Postgres and a float in Cypher`, position);
            text = `avg(${inner})`;
            kind = 'float';
          } else {
            // Postgres' sum of no values is NULL, Cypher's is 0
            text = `CASE WHEN count(${inner}) = 0 THEN null ELSE sum(${inner}) END`;
            kind = arg.kind;
          }
          break;
        default:
          if (arg.kind === 'text')
            this.ctx.notes.add('TEXT_ORDER_COLLATION', `${name} of text follows the database's collation in Postgres and code points in Cypher`, position);
          else if (!isNumber(arg.kind) || arg.decimalLiteral !== undefined)
            throw unsupported(`${name}(${columnLabel(arg)})`, position, 'Cypher does not order these values as Postgres does');
          text = `${name}(${inner})`;
          kind = arg.kind;
      }
    }
    const found = this.grouping!.aggregates.find((a) => a.text === text);
    if (found) return { text: found.alias, kind };
    const alias = this.ctx.names.allocate('agg');
    this.grouping!.aggregates.push({ text, alias });
    return { text: alias, kind };
  }
}

/** The kind of CASE / COALESCE results: one kind (integers with floats are floats), else refused. */
function unify(results: Expr[], what: string, position: number | undefined): { kind: Kind; decimalLiteral?: string } {
  const kinds = [...new Set(results.map((r) => r.kind).filter((k) => k !== 'null' && k !== 'unknown'))];
  const decimalLiteral = results.find((r) => r.decimalLiteral !== undefined)?.decimalLiteral;
  if (kinds.length === 0) return { kind: results.some((r) => r.kind === 'unknown') ? 'unknown' : 'null' };
  if (kinds.length === 1) {
    if (['decimal', 'padded', 'opaque', 'other'].includes(kinds[0]) && results.length > 1) {
      throw unsupported(
        `${what} over ${columnLabel(results.find((r) => r.kind === kinds[0])!)}`,
        position,
        'the graph holds its values in another form than Postgres computes with',
      );
    }
    return { kind: kinds[0], decimalLiteral };
  }
  if (kinds.every(isNumber)) return { kind: 'float', decimalLiteral };
  throw unsupported(`${what} mixing ${kinds.join(' and ')}`, position, 'Postgres would cast to one type');
}
