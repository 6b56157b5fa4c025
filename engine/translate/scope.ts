/** Column references of the SQL -> properties of the pattern's variables (a join table's end columns are its end nodes' properties). */
import type { ColumnRef } from 'libpg-query';
import type { PropertyMapping } from '../plan/types';
import { hasColumn, type Range } from './from';
import { decimalScale, kindOfProperty, type Kind } from './kinds';
import { quoteName } from './names';
import { propertyOf } from './plan-tables';
import { invalidInput, unsupported } from './refuse';
import { stringOf } from './tree';

export interface Expr {
  text: string;
  kind: Kind;
  /** The column it is, for messages and value checks. */
  column?: { range: Range; name: string; property: PropertyMapping };
  /** A decimal literal: numeric in Postgres, a float in Cypher. */
  decimalLiteral?: string;
  /** A string literal's text. */
  stringLiteral?: string;
}

export class Scope {
  constructor(
    readonly ranges: Range[],
    private readonly positionOf: (location: number | undefined) => number | undefined,
  ) {}

  column(ref: ColumnRef): Expr {
    const position = this.positionOf(ref.location);
    const fields = (ref.fields ?? []).map(stringOf);
    if (fields.some((f) => f === undefined)) throw unsupported('* here', position);
    const names = fields as string[];
    if (names.length > 3) throw unsupported(`the column reference ${names.join('.')}`, position);
    const column = names[names.length - 1];
    let range: Range | undefined;
    if (names.length === 1) {
      const owners = this.ranges.filter((r) => hasColumn(r, column));
      if (owners.length > 1)
        throw invalidInput(`Column reference "${column}" is ambiguous: ${owners.map((o) => o.alias).join(', ')} have it`, { column, position });
      if (owners.length === 0) {
        if (this.ranges.some((r) => r.alias === column)) throw unsupported(`the whole-row reference ${column}`, position);
        throw invalidInput(`Column "${column}" is not in any table of FROM${this.ranges.length ? ` (${this.ranges.map((r) => r.table).join(', ')})` : ''}`, {
          column,
          position,
        });
      }
      range = owners[0];
    } else {
      const qualifier = names[names.length - 2];
      const schema = names.length === 3 ? names[0] : undefined;
      range = this.ranges.find((r) => r.alias === qualifier && (!schema || r.table === `${schema}.${qualifier}`));
      if (!range) throw invalidInput(`Missing FROM entry for table "${qualifier}"`, { table: qualifier, position });
    }
    return this.property(range, column, position);
  }

  /** The expression of a range's column. */
  property(range: Range, column: string, position?: number): Expr {
    let variable: string;
    let property: PropertyMapping;
    if (range.kind === 'node') {
      property = propertyOf(range.entry, column, range.table);
      variable = range.slot.variable;
    } else {
      const entry = range.entry;
      const side = Object.values(entry.from.match).includes(column) ? 'from' : Object.values(entry.to.match).includes(column) ? 'to' : undefined;
      if (side) {
        const name = Object.entries(entry[side].match).find(([, c]) => c === column)![0];
        const slot = range.relationship[side];
        const endProperty = slot.entry.properties.find((p) => p.name === name);
        if (!endProperty)
          throw invalidInput(`Column "${column}" of table "${range.table}" matches no property of ${slot.label}`, { column, table: range.table });
        property = endProperty;
        variable = slot.variable;
      } else {
        property = propertyOf(entry, column, range.table);
        variable = range.relationship.variable!;
      }
    }
    if (property.as === 'flatten') throw unsupported(`column ${range.alias}.${column}`, position, 'it is flattened into several properties');
    const kind = kindOfProperty(property);
    return { text: `${variable}.${quoteName(property.name)}`, kind, column: { range, name: column, property } };
  }
}

export const columnLabel = (expr: Expr) => (expr.column ? `${expr.column.range.alias}.${expr.column.name} (${expr.column.property.pgType})` : 'the expression');

/** Whether Cypher's equality of the values is Postgres' (so DISTINCT, GROUP BY and count(DISTINCT) agree). */
export function groupable(expr: Expr): boolean {
  switch (expr.kind) {
    case 'integer':
    case 'float':
    case 'boolean':
    case 'text':
    case 'null':
    case 'unknown':
      return expr.decimalLiteral === undefined;
    case 'padded':
      return !!expr.column && expr.column.property.pgType.includes('(');
    case 'decimal':
      return !!expr.column && decimalScale(expr.column.property.pgType) !== undefined;
    default:
      return false;
  }
}
