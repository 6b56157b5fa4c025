/**
 * load.cypher of a `load-csv` set (see README, Offline exports: load-csv): the online writer's schema statements
 * first, then one `LOAD CSV WITH HEADERS ... CALL (row) { ... } IN TRANSACTIONS` per part, nodes before
 * relationships. Nodes are MERGEd on their key and their properties SET, relationships MERGEd between their two
 * MATCHed ends, so running the script twice leaves the same graph. Every statement ends with `;` and a blank line.
 */
import { NEO4J_DIALECT } from '../../../cypher/dialects';
import { labelText, quoteName } from '../../../cypher/names';
import type { ValidPlan } from '../../../plan/valid';
import { planSchema } from '../../schema-spec';
import type { EntryLayout, ManifestFile } from '../format';
import type { Column, NodeColumns, RelationshipColumns } from './load-csv-columns';
import { nodeColumns, relationshipColumns } from './load-csv-columns';
import { escapeText, VARIANT_CODEC } from './load-csv-values';

/** A Cypher string literal. */
export function cypherString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function field(column: Column): string {
  return column.codec.decode(`row.${quoteName(escapeText(column.header))}`);
}

/**
 * The key or match values, decoded once into variables (`key0`, `start0`, `end0`, ...) before MERGE / MATCH: an expression
 * with a list comprehension in a property map keeps the planner from an index seek (measured: label scans).
 */
function keyed(columns: Column[], prefix: string): { project: string; map: string } {
  const names = columns.map((_, i) => `${prefix}${i}`);
  return {
    project: columns.map((c, i) => `${field(c)} AS ${names[i]}`).join(', '),
    map: `{${columns.map((c, i) => `${quoteName(c.property)}: ${names[i]}`).join(', ')}}`,
  };
}

function nodeBody(columns: NodeColumns): string[] {
  const key = keyed(columns.key, 'key');
  const lines = [`WITH row, ${key.project}`, `MERGE (n${labelText([columns.label])} ${key.map})`];
  const sets = [
    ...columns.properties.map((c) => `n.${quoteName(c.property)} = ${field(c)}`),
    ...(columns.extraLabels.length ? [`n${labelText(columns.extraLabels)}`] : []),
  ];
  if (sets.length) lines.push(`SET ${sets.join(', ')}`);
  if (columns.dynamic) {
    // a flatten's columns differ by batch: every header column not named above is a tagged value, set by name
    const known = [...columns.key, ...columns.properties].map((c) => cypherString(escapeText(c.header)));
    lines.push(`FOREACH (k IN [k IN keys(row) WHERE NOT k IN [${known.join(', ')}]] | SET n[replace(k, '\\\\/', '\\\\')] = ${VARIANT_CODEC.decode('row[k]')})`);
  }
  return lines;
}

function relationshipBody(columns: RelationshipColumns): string[] {
  const from = keyed(columns.from.match, 'start');
  const to = keyed(columns.to.match, 'end');
  const lines = [
    `WITH row, ${from.project}, ${to.project}`,
    `MATCH (a${labelText(columns.from.labels)} ${from.map})`,
    `MATCH (b${labelText(columns.to.labels)} ${to.map})`,
    `MERGE (a)-[e${labelText([columns.type])}]->(b)`,
  ];
  if (columns.properties.length) lines.push(`SET ${columns.properties.map((c) => `e.${quoteName(c.property)} = ${field(c)}`).join(', ')}`);
  return lines;
}

function loadStatement(path: string, body: string[], rows: number): string {
  return [
    `LOAD CSV WITH HEADERS FROM ${cypherString(`file:///${path}`)} AS row`,
    'CALL (row) {',
    ...body.map((line) => `  ${line}`),
    `} IN TRANSACTIONS OF ${rows} ROWS`,
  ].join('\n');
}

/** The statements of load.cypher, in order (each runs on its own, in an auto-commit transaction). */
export function loadStatements(plan: ValidPlan, layouts: EntryLayout[], files: ManifestFile[]): string[] {
  const schema = planSchema(plan);
  const statements = [...schema.keys.flatMap((spec) => NEO4J_DIALECT.keySchema(spec)), ...schema.matches.flatMap((spec) => NEO4J_DIALECT.matchSchema(spec))];
  if (statements.length) statements.push('CALL db.awaitIndexes(300)');
  const rows = plan.options.batchSize;
  const byEntry = new Map(layouts.map((layout) => [layout.entry, layout]));
  for (const kind of ['nodes', 'relationships'] as const) {
    for (const file of files) {
      if (file.header || file.kind !== kind || !byEntry.has(file.entry)) continue;
      if (kind === 'nodes') {
        const entry = plan.nodes.find((n) => n.id === file.entry)!;
        statements.push(loadStatement(file.path, nodeBody(nodeColumns(entry)), rows));
      } else {
        const entry = plan.relationships.find((r) => r.id === file.entry)!;
        statements.push(loadStatement(file.path, relationshipBody(relationshipColumns(plan, entry)), rows));
      }
    }
  }
  return statements;
}

export function loadScript(statements: string[]): string {
  return statements.map((s) => `${s};\n`).join('\n');
}
