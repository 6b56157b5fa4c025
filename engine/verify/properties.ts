/** Property by property: a graph record against the record shaping makes of its source row. */
import { describeGraphValue } from '../values/graph-text';
import type { GraphSide } from './graph-side';

export interface PropertyDifference {
  property: string;
  expected: string;
  found: string;
}

/**
 * Differences between the expected record (`columns`/`row`, null = absent) and the properties read from the
 * graph; a graph property the plan does not produce for this row is one too (`flattened`: names of properties
 * whose json is flattened into `<name>_<key>` members).
 */
export function propertyDifferences(
  side: Pick<GraphSide, 'sameValue' | 'describeFound'>,
  element: 'node' | 'relationship',
  columns: readonly string[],
  row: readonly unknown[],
  found: Record<string, unknown>,
  flattened: readonly string[] = [],
): PropertyDifference[] {
  const differences: PropertyDifference[] = [];
  const expectedNames = new Set<string>();
  columns.forEach((name, i) => {
    expectedNames.add(name);
    if (!side.sameValue(row[i], found[name], element)) {
      differences.push({ property: name, expected: describeGraphValue(row[i]), found: side.describeFound(found[name]) });
    }
  });
  for (const name of Object.keys(found)) {
    if (expectedNames.has(name)) continue;
    // a flattened json member this row does not have is merely absent; any other name the plan never produces
    const member = flattened.some((prefix) => name.startsWith(`${prefix}_`));
    differences.push({ property: name, expected: member ? 'absent' : 'absent (not in the plan)', found: side.describeFound(found[name]) });
  }
  return differences;
}
