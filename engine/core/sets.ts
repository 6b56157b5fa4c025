/**
 * The same names regardless of order: as many items in a as in b, and every item of a found in b.
 * Meant for lists without repeats (column names, property names, labels), where it is set equality; with
 * repeats it only checks a against b (`sameMembers(['x', 'x'], ['x', 'y'])` is true), as every caller did.
 */
export function sameMembers<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/** Code-point order of two names (the same in every locale), for sorting catalog names deterministically. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
