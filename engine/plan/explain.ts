/** Readable views of a plan: every warning in one list, and a text summary (`pg2graph plan --explain`). */
import type { GraphPlan } from './types';

/** Plan-wide warnings, then each entry's, prefixed with the entry id. */
export function planWarnings(plan: GraphPlan): string[] {
  return [...(plan.warnings ?? []), ...[...plan.nodes, ...plan.relationships].flatMap((entry) => (entry.warnings ?? []).map((w) => `${entry.id}: ${w}`))];
}

export interface PlanSummary {
  nodes: number;
  relationships: number;
  warnings: string[];
}

export function summarizePlan(plan: GraphPlan): PlanSummary {
  return { nodes: plan.nodes.length, relationships: plan.relationships.length, warnings: planWarnings(plan) };
}

const properties = (n: number) => `${n} ${n === 1 ? 'property' : 'properties'}`;

function table(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`.trimEnd());
}

/** The plan in a few lines per entry: labels with key and property count, relationship types with their ends, warnings. */
export function explainPlan(plan: GraphPlan): string {
  const labelOf = new Map(plan.nodes.map((n) => [n.id, n.label]));
  const lines: string[] = [`schemas: ${plan.source.schemas.join(', ')}`, '', `node labels (${plan.nodes.length}):`];
  lines.push(
    ...table(
      plan.nodes.map((n) => [
        n.label,
        `key (${n.key.join(', ')})${n.keySource && n.keySource !== 'primaryKey' ? ` from ${n.keySource}` : ''}`,
        properties(n.properties.length),
        `<- ${n.table ? `${n.table.schema}.${n.table.name}` : n.id}`,
      ]),
    ),
  );
  lines.push('', `relationship types (${plan.relationships.length}):`);
  lines.push(
    ...table(
      plan.relationships.map((r) => [
        `(:${labelOf.get(r.from.node) ?? `?${r.from.node}`})-[:${r.type}]->(:${labelOf.get(r.to.node) ?? `?${r.to.node}`})`,
        r.properties.length ? properties(r.properties.length) : '',
        `<- ${r.source.kind === 'joinTable' ? 'join table' : 'foreign key'} ${r.id}`,
      ]),
    ),
  );
  const warnings = planWarnings(plan);
  lines.push('', `warnings (${warnings.length}):`, ...warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}
