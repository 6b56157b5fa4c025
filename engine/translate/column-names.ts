/**
 * The output column name Postgres gives a select item without an alias (FigureColname in its parser): a
 * column's name, a function's name, "coalesce", "nullif", "case" (unless its ELSE names it), else "?column?".
 */
import type { Node } from 'libpg-query';
import { stringOf } from './tree';

/** [name, strength]: 2 for a real name, 1 for a fallback such as "case", 0 for none. */
function figure(node: Node | undefined): [string, number] {
  if (!node) return ['?column?', 0];
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields ?? [];
    const last = stringOf(fields[fields.length - 1]);
    return last === undefined ? ['?column?', 0] : [last, 2];
  }
  if ('FuncCall' in node) {
    const names = node.FuncCall.funcname ?? [];
    return [stringOf(names[names.length - 1]) ?? '?column?', 2];
  }
  if ('A_Expr' in node && node.A_Expr.kind === 'AEXPR_NULLIF') return ['nullif', 2];
  if ('CoalesceExpr' in node) return ['coalesce', 2];
  if ('TypeCast' in node) {
    const [name, strength] = figure(node.TypeCast.arg);
    if (strength > 1) return [name, strength];
    const names = node.TypeCast.typeName?.names ?? [];
    return [stringOf(names[names.length - 1]) ?? '?column?', 1];
  }
  if ('CaseExpr' in node) {
    const [name, strength] = figure(node.CaseExpr.defresult);
    return strength > 1 ? [name, strength] : ['case', 1];
  }
  return ['?column?', 0];
}

export function outputName(node: Node | undefined): string {
  return figure(node)[0];
}
