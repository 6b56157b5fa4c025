import type { ClientBase } from 'pg';
import { Pg2GraphError } from '../core/errors';
import { compareText, sameMembers } from '../core/sets';
import type { ColumnInfo, ForeignKeyInfo, KeyConstraint, SchemaModel, SchemaNote, TableInfo, TableKind, TableRef } from './model';
import {
  COLUMNS_SQL,
  CONSTRAINTS_SQL,
  DATABASE_SQL,
  PARTITIONS_SQL,
  RELATIONS_BY_OID_SQL,
  RELATIONS_SQL,
  SCHEMAS_SQL,
  UNIQUE_INDEXES_SQL,
} from './catalog-sql';
import { groupBy, type ColumnRow, type ConstraintRow, type RelationRow, type UniqueIndexRow } from './catalog-rows';
import { TypeResolver } from './pg-types';

export interface IntrospectOptions {
  /** Schemas to read, exactly as Postgres spells them (case-sensitive). */
  schemas: string[];
}

const KINDS: Record<string, TableKind> = { r: 'table', p: 'partitioned', v: 'view', m: 'materializedView', f: 'foreign' };

const qualified = (ref: TableRef) => `${JSON.stringify(ref.schema)}.${JSON.stringify(ref.name)}`;

/** What introspection knows of a relation: its row, and its column names by attnum. */
interface Relation {
  row: RelationRow;
  columns: ColumnRow[];
  names: Map<number, string>;
  constraints: ConstraintRow[];
}

/**
 * Reads the chosen schemas from pg_catalog into a SchemaModel (see README, The graph plan). Partitions are folded into their
 * partitioned parent; foreign keys declared only on a partition are kept on the parent with
 * `declaredOnPartition` and named in the notes. Run it inside one transaction for a consistent picture.
 */
export async function introspect(client: ClientBase, options: IntrospectOptions): Promise<SchemaModel> {
  const schemas = [...new Set(options.schemas)];
  await requireSchemas(client, schemas);
  const info = (await client.query<{ database: string; version: string }>(DATABASE_SQL)).rows[0];
  const notes: SchemaNote[] = [];

  const inSchemas = (await client.query<RelationRow>(RELATIONS_SQL, [schemas])).rows;
  const tops = inSchemas.filter((row) => !row.is_partition);
  const topOids = new Set(tops.map((row) => row.oid));
  const partitionedOids = tops.filter((row) => row.relkind === 'p').map((row) => row.oid);
  const partitions = partitionedOids.length ? (await client.query<RelationRow>(PARTITIONS_SQL, [partitionedOids])).rows : [];
  for (const row of inSchemas.filter((r) => r.is_partition && !topOids.has(r.root ?? 0))) {
    notes.push({
      table: { schema: row.schema, name: row.name },
      message: `partition ${qualified(row)} left out: its partitioned table is outside the chosen schemas`,
    });
  }

  const relations = await loadRelations(client, [...tops, ...partitions]);
  await addReferencedRelations(client, relations);

  const types = new TypeResolver(client);
  await types.load(tops.flatMap((row) => relations.get(row.oid)!.columns.map((c) => ({ oid: c.type_oid, typmod: c.typmod }))));
  const uniqueIndexes = groupBy(
    tops.length ? (await client.query<UniqueIndexRow>(UNIQUE_INDEXES_SQL, [tops.map((row) => row.oid)])).rows : [],
    (row) => row.rel,
  );
  const partitionsOf = groupBy(partitions, (row) => row.root ?? 0);

  const order = (row: RelationRow) => schemas.indexOf(row.schema);
  const tables = tops
    .sort((a, b) => order(a) - order(b) || compareText(a.name, b.name))
    .map((row) => buildTable(row, relations, types, uniqueIndexes.get(row.oid) ?? [], partitionsOf.get(row.oid) ?? [], schemas, notes));
  for (const table of tables) {
    if (table.readable === false)
      notes.push({ table: { schema: table.schema, name: table.name }, message: `the current user cannot SELECT ${qualified(table)}` });
  }
  return { database: info.database, serverVersion: info.version, schemas, tables, notes };
}

async function requireSchemas(client: ClientBase, schemas: string[]): Promise<void> {
  if (!schemas.length) throw new Pg2GraphError('SCHEMA_NOT_FOUND', 'no schema given: name at least one schema to introspect', { schemas });
  const existing = (await client.query<{ name: string }>(SCHEMAS_SQL)).rows.map((row) => row.name);
  const missing = schemas.filter((schema) => !existing.includes(schema));
  if (missing.length) {
    const list = missing.map((s) => JSON.stringify(s)).join(', ');
    const shown =
      existing
        .slice(0, 20)
        .map((s) => JSON.stringify(s))
        .join(', ') + (existing.length > 20 ? `, ... (${existing.length - 20} more)` : '');
    throw new Pg2GraphError(
      'SCHEMA_NOT_FOUND',
      `schema${missing.length > 1 ? 's' : ''} ${list} not found (names are case-sensitive; the database has: ${shown || 'no schema'})`,
      { missing, existing },
    );
  }
}

/** Columns and constraints of the given relations, by oid. */
async function loadRelations(client: ClientBase, rows: RelationRow[]): Promise<Map<number, Relation>> {
  const relations = new Map<number, Relation>();
  if (!rows.length) return relations;
  const oids = rows.map((row) => row.oid);
  const columns = groupBy((await client.query<ColumnRow>(COLUMNS_SQL, [oids])).rows, (row) => row.rel);
  const constraints = groupBy((await client.query<ConstraintRow>(CONSTRAINTS_SQL, [oids])).rows, (row) => row.rel);
  for (const row of rows) {
    const list = columns.get(row.oid) ?? [];
    relations.set(row.oid, { row, columns: list, names: new Map(list.map((c) => [c.num, c.name])), constraints: constraints.get(row.oid) ?? [] });
  }
  return relations;
}

/** Adds the relations foreign keys point at that are not loaded yet (other schemas, partitions and their roots). */
async function addReferencedRelations(client: ClientBase, relations: Map<number, Relation>): Promise<void> {
  for (let round = 0; round < 2; round += 1) {
    const wanted = new Set<number>();
    for (const relation of relations.values()) {
      for (const c of relation.constraints) if (c.kind === 'f' && !relations.has(c.ref_rel)) wanted.add(c.ref_rel);
      if (relation.row.root && !relations.has(relation.row.root)) wanted.add(relation.row.root);
    }
    if (!wanted.size) return;
    const rows = (await client.query<RelationRow>(RELATIONS_BY_OID_SQL, [[...wanted]])).rows;
    for (const [oid, relation] of await loadRelations(client, rows)) relations.set(oid, relation);
  }
}

function keyOf(constraint: { name: string; columns: number[] }, names: Map<number, string>): KeyConstraint {
  return { name: constraint.name, columns: constraint.columns.map((num) => names.get(num) ?? `#${num}`) };
}

function buildTable(
  row: RelationRow,
  relations: Map<number, Relation>,
  types: TypeResolver,
  uniqueIndexes: UniqueIndexRow[],
  partitions: RelationRow[],
  schemas: string[],
  notes: SchemaNote[],
): TableInfo {
  const relation = relations.get(row.oid)!;
  const ref = { schema: row.schema, name: row.name };
  const constraints = relation.constraints.filter((c) => c.parent === 0);
  const primary = constraints.find((c) => c.kind === 'p');
  const table: TableInfo = {
    schema: row.schema,
    name: row.name,
    kind: KINDS[row.relkind] ?? 'table',
    rowEstimate: row.relkind === 'p' ? partitionEstimate(partitions) : row.reltuples,
    columns: relation.columns.map((c) => buildColumn(c, types)),
    uniqueConstraints: [
      ...constraints.filter((c) => c.kind === 'u').map((c) => keyOf(c, relation.names)),
      ...uniqueIndexes.map((index) => keyOf(index, relation.names)),
    ].sort((a, b) => compareText(a.name, b.name)),
    foreignKeys: constraints.filter((c) => c.kind === 'f').map((c) => buildForeignKey(c, relation, relations)),
    readable: row.readable,
  };
  if (row.comment !== null) table.comment = row.comment;
  if (primary) table.primaryKey = keyOf(primary, relation.names);
  if (row.relkind === 'p') {
    const byName = (a: TableRef, b: TableRef) => compareText(a.schema, b.schema) || compareText(a.name, b.name);
    table.partitions = partitions.map((p) => ({ schema: p.schema, name: p.name, ...(p.relkind === 'p' ? { partitioned: true as const } : {}) })).sort(byName);
    const leaves = partitions.filter((p) => p.relkind !== 'p');
    for (const partition of partitions) {
      const own = relations.get(partition.oid)!;
      // the rows an FK of a partitioned partition constrains are those of the leaves below it, at any depth
      const covered = partition.relkind === 'p' ? leaves.filter((leaf) => leaf.ancestors?.includes(partition.oid)) : [partition];
      const partitionLeaves = covered.map((leaf) => ({ schema: leaf.schema, name: leaf.name })).sort(byName);
      for (const c of own.constraints.filter((k) => k.kind === 'f' && k.parent === 0)) {
        const fk: ForeignKeyInfo = { ...buildForeignKey(c, own, relations), declaredOnPartition: partition.name, partitionLeaves };
        table.foreignKeys.push(fk);
        notes.push({
          table: ref,
          message: `foreign key "${fk.name}" (${fk.columns.join(', ')}) -> ${qualified(fk.references)} is declared only on partition ${qualified(partition)} of ${qualified(ref)}`,
        });
      }
    }
  }
  table.foreignKeys.sort((a, b) => compareText(a.declaredOnPartition ?? '', b.declaredOnPartition ?? '') || compareText(a.name, b.name));
  for (const fk of table.foreignKeys) {
    if (!schemas.includes(fk.references.schema)) {
      notes.push({ table: ref, message: `foreign key "${fk.name}" of ${qualified(ref)} references ${qualified(fk.references)}, outside the chosen schemas` });
    }
  }
  return table;
}

function buildColumn(row: ColumnRow, types: TypeResolver): ColumnInfo {
  const column: ColumnInfo = {
    name: row.name,
    position: row.num,
    type: types.info({ oid: row.type_oid, typmod: row.typmod }),
    nullable: !(row.not_null || types.notNullDomain(row.type_oid)),
  };
  if (row.generated === 's') column.generated = 'stored';
  if (row.generated === 'v') column.generated = 'virtual';
  if (row.identity === 'a') column.identity = 'always';
  if (row.identity === 'd') column.identity = 'byDefault';
  if (row.default_expr !== null) column.default = row.default_expr;
  if (row.comment !== null) column.comment = row.comment;
  return column;
}

function buildForeignKey(constraint: ConstraintRow, owner: Relation, relations: Map<number, Relation>): ForeignKeyInfo {
  let target = relations.get(constraint.ref_rel);
  const targetColumns = (constraint.ref_columns ?? []).map((num) => target?.names.get(num) ?? `#${num}`);
  // a foreign key to a partition is a foreign key to rows of its partitioned table
  while (target?.row.is_partition && target.row.root && relations.has(target.row.root)) target = relations.get(target.row.root);
  const referenced = target?.row ?? { schema: '?', name: `oid ${constraint.ref_rel}` };
  const primary = target?.constraints.find((c) => c.kind === 'p' && c.parent === 0);
  const primaryColumns = primary ? primary.columns.map((num) => target!.names.get(num)) : [];
  const sameSet = sameMembers(targetColumns, primaryColumns);
  return {
    name: constraint.name,
    columns: constraint.columns.map((num) => owner.names.get(num) ?? `#${num}`),
    references: { schema: referenced.schema, name: referenced.name, columns: targetColumns },
    referencesKey: sameSet ? 'primaryKey' : 'unique',
  };
}

/** Rows of a partitioned table: the sum over its leaf partitions; -1 when none of them was ever analyzed. */
function partitionEstimate(partitions: RelationRow[]): number {
  const leaves = partitions.filter((p) => p.relkind !== 'p');
  const analyzed = leaves.filter((p) => p.reltuples >= 0);
  if (leaves.length && !analyzed.length) return -1;
  return analyzed.reduce((sum, p) => sum + p.reltuples, 0);
}
