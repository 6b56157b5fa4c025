/**
 * Which node properties a query's WHERE and ORDER BY read (README.md, From SQL to Cypher: index advice): the
 * column references of those clauses resolved in the query's scope. Subqueries have scopes of their own and are
 * not entered; names that are no input column (ORDER BY an output name) are skipped.
 */
import type { Node } from 'libpg-query';
import type { NodeSlot } from './from';
import type { Scope } from './scope';
import type { FilteredProperty } from './types';

function columnRefs(value: unknown, found: Node[]): void {
  if (Array.isArray(value)) {
    for (const item of value) columnRefs(item, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'SubLink' || key === 'RangeSubselect' || key === 'SelectStmt') continue;
    if (key === 'ColumnRef') found.push(value as Node);
    else columnRefs(inner, found);
  }
}

export function filteredProperties(clauses: Array<{ clause: FilteredProperty['clause']; nodes: Node[] }>, scope: Scope, slots: NodeSlot[]): FilteredProperty[] {
  const labels = new Map(slots.map((slot) => [slot.variable, slot.label]));
  const found: FilteredProperty[] = [];
  for (const { clause, nodes } of clauses) {
    const refs: Node[] = [];
    columnRefs(nodes, refs);
    for (const ref of refs) {
      let resolved;
      try {
        resolved = scope.column((ref as { ColumnRef: Parameters<Scope['column']>[0] }).ColumnRef);
      } catch {
        continue; // an output name, or a name the translation itself refuses or reports
      }
      const variable = resolved.text.slice(0, resolved.text.indexOf('.'));
      const label = labels.get(variable);
      if (!label || !resolved.column) continue; // a relationship's property
      const property = resolved.column.property.name;
      if (!found.some((f) => f.label === label && f.property === property && f.clause === clause)) found.push({ label, property, clause });
    }
  }
  return found;
}
