/** Small readers of Postgres parse-tree nodes (a node is `{ Kind: fields }`). */
import type { Node } from 'libpg-query';

export function nodeKind(node: Node): string {
  return Object.keys(node)[0];
}

/** The byte offset the parser recorded for the node, when it has one. */
export function locationOf(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  const inner = (node as Record<string, { location?: number }>)[nodeKind(node)];
  return typeof inner?.location === 'number' && inner.location >= 0 ? inner.location : undefined;
}

/** The text of a String node (identifiers in names and fields). */
export function stringOf(node: Node | undefined): string | undefined {
  return node && 'String' in node ? (node.String.sval ?? '') : undefined;
}

/** Whether a node of one of the kinds occurs anywhere in the tree. */
export function containsKind(value: unknown, kinds: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKind(item, kinds));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => kinds.has(key) || containsKind(inner, kinds));
}

/** Conjuncts of an AND tree. */
export function conjuncts(node: Node | undefined): Node[] {
  if (!node) return [];
  if ('BoolExpr' in node && node.BoolExpr.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).flatMap(conjuncts);
  return [node];
}

/** The first byte offset recorded anywhere in the tree (for nodes that have no location of their own). */
export function firstLocation(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const own = (value as { location?: unknown }).location;
  const found = (Array.isArray(value) ? value : Object.values(value)).map(firstLocation).filter((l): l is number => l !== undefined);
  if (typeof own === 'number' && own >= 0) found.push(own);
  return found.length ? Math.min(...found) : undefined;
}
