/**
 * A one-entry plan for reading a single table or query without a generated plan (msg.table / msg.sql on the
 * read node): every column (or the chosen ones) with its type's default rule, keyed by the primary key, a
 * unique NOT NULL key, the given key columns, or else the row's content. Names stay as Postgres spells them.
 */
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError } from '../core/errors';
import { PLAN_VERSION, type GraphPlan, type NodeEntry, type PropertyMapping } from '../plan/types';
import type { PgTypeInfo, TableRef } from '../schema/model';
import { defaultPolicies, defaultRule, pgTypeLabel } from '../values/rules';
import { relationInfo, typeInfos } from './catalog';
import { ReadSnapshot } from './snapshot';

export interface SingleEntryRequest {
  /** "schema.table" (quote parts with "" when they hold dots), "table" (schema public), or a TableRef. */
  table?: string | TableRef;
  sql?: string;
  /** Node label; default the table name, or "Row" for a query. */
  label?: string;
  /** Key columns; default the primary key, a unique NOT NULL key, or the row's content (md5 and occurrence number). */
  key?: string[];
  /** Only these columns (default all). */
  columns?: string[];
  /** Entry id; default "schema.table", or "sql" for a query. */
  id?: string;
  batchSize?: number;
}

/** Splits "schema.table" honouring double quotes: `"My Schema"."a.b"` -> { schema: 'My Schema', name: 'a.b' }. */
export function parseTableName(text: string): TableRef {
  const parts: string[] = [];
  let pos = 0;
  const fail = (): never => {
    throw new Pg2GraphError('READ_TABLE_NAME_INVALID', `table name ${JSON.stringify(text)} is not "schema.table" or "table"`, { table: text });
  };
  while (pos < text.length) {
    let part = '';
    if (text[pos] === '"') {
      pos++;
      for (;;) {
        if (pos >= text.length) fail();
        if (text[pos] === '"') {
          if (text[pos + 1] === '"') {
            part += '"';
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        part += text[pos++];
      }
    } else {
      const dot = text.indexOf('.', pos);
      part = (dot < 0 ? text.slice(pos) : text.slice(pos, dot)).trim();
      pos = dot < 0 ? text.length : dot;
    }
    if (!part) fail();
    parts.push(part);
    if (pos < text.length) {
      if (text[pos] !== '.') fail();
      pos++;
      if (pos >= text.length) fail();
    }
  }
  if (parts.length === 1) return { schema: 'public', name: parts[0] };
  if (parts.length !== 2) fail();
  return { schema: parts[0], name: parts[1] };
}

interface SourceColumn {
  name: string;
  type: PgTypeInfo;
}

function property(table: string, column: SourceColumn): PropertyMapping {
  const rule = defaultRule(column.type);
  if (!rule) {
    throw new Pg2GraphError(
      'VALUE_NO_RULE',
      `${table}, column "${column.name}": type ${column.type.display} has no value rule (list the other columns, or read it through a plan that sets "as": "string")`,
      { table, column: column.name, type: column.type.display },
    );
  }
  return { column: column.name, name: column.name, pgType: pgTypeLabel(column.type), as: rule, ...defaultPolicies(column.type, rule) };
}

function pick(source: string, columns: SourceColumn[], wanted: string[] | undefined): SourceColumn[] {
  if (!wanted) return columns;
  return wanted.map((name) => {
    const column = columns.find((c) => c.name === name);
    if (!column) throw new Pg2GraphError('READ_COLUMN_NOT_FOUND', `${source} has no column "${name}"`, { column: name });
    return column;
  });
}

export async function singleEntryPlan(connection: PostgresConnection, request: SingleEntryRequest): Promise<GraphPlan> {
  if (!request.table === !request.sql) {
    throw new Pg2GraphError('READ_REQUEST_INVALID', 'give either a table ("schema.table") or a SQL query, not both and not neither');
  }
  const snapshot = await ReadSnapshot.open(connection);
  try {
    let entry: NodeEntry;
    if (request.table) {
      const ref = typeof request.table === 'string' ? parseTableName(request.table) : request.table;
      const source = `table ${ref.schema}.${ref.name}`;
      const relation = await relationInfo(snapshot, ref);
      if (!relation) throw new Pg2GraphError('READ_TABLE_NOT_FOUND', `${source} does not exist (or is not visible to this user)`, { table: ref });
      const types = await typeInfos(
        snapshot,
        relation.columns.map((c) => c.typeOid),
      );
      const all = relation.columns.map((c) => ({ name: c.name, type: types.get(c.typeOid) as PgTypeInfo }));
      const key = request.key ?? relation.primaryKey ?? relation.uniqueNotNull[0];
      const columns = pick(source, all, request.columns && key ? [...new Set([...key, ...request.columns])] : request.columns);
      entry = buildEntry(
        request.id ?? `${ref.schema}.${ref.name}`,
        source,
        columns,
        request.label ?? ref.name,
        key,
        request.key ? 'declared' : relation.primaryKey ? 'primaryKey' : 'unique',
      );
      entry.table = ref;
    } else {
      const sql = String(request.sql);
      const source = 'SQL query';
      let described;
      try {
        described = await snapshot.queryText(`SELECT * FROM (${sql.trim().replace(/;\s*$/, '')}) AS q LIMIT 0`);
      } catch (error) {
        throw new Pg2GraphError('READ_SQL_INVALID', `the SQL query cannot run: ${connection.translate(error).message}`, {}, error);
      }
      const duplicate = described.columns.find((c, i) => described.columns.indexOf(c) !== i);
      if (duplicate)
        throw new Pg2GraphError('READ_SQL_INVALID', `the SQL query returns two columns named "${duplicate}": give them distinct aliases`, {
          column: duplicate,
        });
      const types = await typeInfos(snapshot, described.typeOids);
      const all = described.columns.map((name, i) => ({ name, type: types.get(described.typeOids[i]) as PgTypeInfo }));
      const columns = pick(source, all, request.columns && request.key ? [...new Set([...request.key, ...request.columns])] : request.columns);
      entry = buildEntry(request.id ?? 'sql', source, columns, request.label ?? 'Row', request.key, 'declared');
      entry.sql = sql;
    }
    return {
      version: PLAN_VERSION,
      source: { schemas: entry.table ? [entry.table.schema] : [] },
      options: { batchSize: request.batchSize ?? 5000, writeMode: 'merge' },
      nodes: [entry],
      relationships: [],
    };
  } finally {
    await snapshot.close();
  }
}

function buildEntry(
  id: string,
  source: string,
  columns: SourceColumn[],
  label: string,
  key: string[] | undefined,
  keySource: 'primaryKey' | 'unique' | 'declared',
): NodeEntry {
  const properties = columns.map((c) => property(source, c));
  for (const name of key ?? []) {
    if (!columns.some((c) => c.name === name)) throw new Pg2GraphError('READ_COLUMN_NOT_FOUND', `${source} has no key column "${name}"`, { column: name });
  }
  if (key?.length) return { id, label, key, keySource, properties, warnings: [] };
  const rowHash = columns.some((c) => c.name === 'rowHash') ? 'pg2graph_rowHash' : 'rowHash';
  return {
    id,
    label,
    key: [rowHash],
    keySource: 'rowContent',
    properties,
    warnings: [
      `${source} has no primary key or unique NOT NULL key: each row is keyed by the md5 of its content ("${rowHash}"), with ":2", ":3", ... for further identical rows`,
    ],
  };
}
