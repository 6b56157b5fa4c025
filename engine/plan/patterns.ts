import type { TableRef } from '../schema/model';

/**
 * Table patterns of `include` / `exclude`: globs with `*` (any characters, dots included) and `?` (one
 * character), case-sensitive, matched against "schema.table" and against the bare "table".
 */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

export function matchesPattern(table: TableRef, pattern: string): boolean {
  const regexp = globToRegExp(pattern);
  return regexp.test(`${table.schema}.${table.name}`) || regexp.test(table.name);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** How the patterns treat a table: tables are in unless include patterns exist and none matches, or an exclude matches. */
export function patternSelects(table: TableRef, include: string[] | undefined, exclude: string[] | undefined): boolean {
  if (exclude?.some((p) => matchesPattern(table, p))) return false;
  if (include?.length) return include.some((p) => matchesPattern(table, p));
  return true;
}

/** Views and foreign tables are read only when an include pattern names them exactly (no wildcard). */
export function patternNames(table: TableRef, include: string[] | undefined, exclude: string[] | undefined): boolean {
  if (exclude?.some((p) => matchesPattern(table, p))) return false;
  return include?.some((p) => !hasWildcard(p) && matchesPattern(table, p)) ?? false;
}
