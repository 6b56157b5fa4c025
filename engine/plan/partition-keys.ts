/**
 * Foreign keys declared on partitions folded into the relationships of their partitioned table (see README,
 * Mapping rules): the same FK declared on several partitions is one relationship read through the parent,
 * rows of the partitions without it included; partition FKs that contradict another FK on the same columns
 * stay apart, each limited to the partitions declaring it.
 */
import { escapeIdentifier, escapeLiteral } from 'pg';
import { compareText } from '../core/sets';
import type { ForeignKeyInfo, TableInfo, TableRef } from '../schema/model';
import { quoted } from './node-entries';

/** One relationship entry's worth of foreign keys of a table. */
export interface TableForeignKey {
  /** The FK the entry is named after and matches by (the first in name order when several fold). */
  fk: ForeignKeyInfo;
  /** Set when the entry stands for FKs declared on partitions: their constraint names, in name order. */
  constraints?: string[];
  /** Row filter: the leaf partitions the FKs constrain, when the entry must not read every partition. */
  where?: string;
  warning?: string;
}

const refKey = (ref: TableRef) => `${ref.schema}\u0000${ref.name}`;

/** What makes two FKs the same relationship: the referenced table and each referencing column's referenced column. */
export function foreignKeySignature(fk: ForeignKeyInfo): string {
  const pairs = fk.columns.map((column, i) => `${column}\u0001${fk.references.columns[i] ?? ''}`).sort(compareText);
  return [fk.references.schema, fk.references.name, ...pairs].join('\u0000');
}

/** `tableoid` filter for rows of these leaf partitions (SQL over the parent's rows). */
export function partitionFilter(leaves: TableRef[]): string {
  const literal = (ref: TableRef) => `${escapeLiteral(`${escapeIdentifier(ref.schema)}.${escapeIdentifier(ref.name)}`)}::regclass`;
  if (!leaves.length) return 'false';
  if (leaves.length === 1) return `tableoid = ${literal(leaves[0])}`;
  return `tableoid IN (${leaves.map(literal).join(', ')})`;
}

const list = (refs: TableRef[]) => refs.map(quoted).join(', ');
const partitionsWord = (n: number) => (n === 1 ? 'partition' : 'partitions');

interface Group {
  fks: ForeignKeyInfo[];
  columns: Set<string>;
}

/**
 * The relationship entries a table's foreign keys make, in the order of table.foreignKeys: one per FK of the
 * table itself, one per group of partition FKs with the same signature (dropped when the table declares that
 * FK itself: its entry reads every partition already).
 */
export function tableForeignKeys(table: TableInfo): TableForeignKey[] {
  const own = table.foreignKeys.filter((fk) => !fk.declaredOnPartition);
  const ownSignatures = new Set(own.map(foreignKeySignature));
  const groups = new Map<string, Group>();
  for (const fk of table.foreignKeys) {
    if (!fk.declaredOnPartition) continue;
    const signature = foreignKeySignature(fk);
    if (ownSignatures.has(signature)) continue;
    const group = groups.get(signature);
    if (group) group.fks.push(fk);
    else groups.set(signature, { fks: [fk], columns: new Set(fk.columns) });
  }
  const overlaps = (columns: Set<string>, other: string[] | Set<string>) => [...other].some((c) => columns.has(c));
  const nested = (table.partitions ?? []).some((p) => p.partitioned);
  const leaves = (table.partitions ?? []).filter((p) => !p.partitioned).map((p) => ({ schema: p.schema, name: p.name }));

  const result: TableForeignKey[] = own.map((fk) => ({ fk }));
  for (const [signature, group] of groups) {
    const fks = [...group.fks].sort((a, b) => compareText(a.name, b.name) || compareText(a.declaredOnPartition!, b.declaredOnPartition!));
    const constraints = [...new Set(fks.map((fk) => fk.name))];
    const coveredKeys = new Set(fks.flatMap((fk) => fk.partitionLeaves ?? []).map(refKey));
    const covered = leaves.filter((leaf) => coveredKeys.has(refKey(leaf)));
    const lacking = leaves.filter((leaf) => !coveredKeys.has(refKey(leaf)));
    const declared = `declared on ${covered.length} of the ${leaves.length} ${nested ? 'leaf ' : ''}partitions of ${quoted(table)} (not on the table itself)`;
    // a different FK on any of the same columns: these values reference something else in the other partitions
    const rivals = [
      ...own.filter((fk) => overlaps(group.columns, fk.columns)).map((fk) => fk.name),
      ...[...groups].filter(([other, g]) => other !== signature && overlaps(group.columns, g.columns)).flatMap(([, g]) => g.fks.map((fk) => fk.name)),
    ];
    if (rivals.length) {
      const names = [...new Set(rivals)]
        .sort(compareText)
        .map((n) => JSON.stringify(n))
        .join(', ');
      result.push({
        fk: fks[0],
        constraints,
        where: partitionFilter(covered),
        warning: `${declared}, and another foreign key on these columns (${names}) says otherwise: only rows of ${list(covered) || 'no partition'} are linked (see "where")`,
      });
    } else if (lacking.length) {
      result.push({
        fk: fks[0],
        constraints,
        warning: `${declared}: one relationship over the rows of every partition; ${partitionsWord(lacking.length)} without it: ${list(lacking)} (their rows are linked by value; a value with no referenced row is a missing end)`,
      });
    } else {
      result.push({ fk: fks[0], constraints, warning: `${declared}: one relationship over the rows of every partition` });
    }
  }
  return result;
}
