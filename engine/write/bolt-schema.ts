/**
 * Schema work on a Bolt target: run the dialect's constraint and index statements once per key (auto-commit:
 * schema and data never share a transaction), and on Neo4j check afterwards that a uniqueness constraint
 * really covers each key, because `IF NOT EXISTS` silently keeps an older object of the same name.
 */
import type { Session } from 'neo4j-driver';
import { Pg2GraphError } from '../core/errors';
import type { CypherDialect, KeySpec, MatchSpec } from '../cypher/dialects';
import { quoteName } from '../cypher/names';
import { sameMembers } from '../core/sets';

export type RunAuto = (text: string, params?: Record<string, unknown>) => Promise<Array<Record<string, unknown>>>;

/** Runs one statement in its own auto-commit transaction and returns its records as plain objects. */
export async function runInSession(session: Session, text: string, params: Record<string, unknown> = {}): Promise<Array<Record<string, unknown>>> {
  try {
    const result = await session.run(text, params);
    return result.records.map((record) => record.toObject());
  } finally {
    await session.close().catch(() => undefined);
  }
}

const describeSpec = (label: string, names: readonly string[]) => `(:${label} {${names.join(', ')}})`;

interface SchemaRow {
  name: string;
  type: string;
  entityType: string;
  labelsOrTypes: string[] | null;
  properties: string[] | null;
  owningConstraint?: string | null;
}

/** Whether a SHOW INDEXES / SHOW CONSTRAINTS row is on exactly the key's label and properties. */
function onKey(row: SchemaRow, spec: KeySpec): boolean {
  return sameMembers(row.labelsOrTypes ?? [], [spec.label]) && sameMembers(row.properties ?? [], spec.key);
}

async function ownIndexBlocking(run: RunAuto, spec: KeySpec): Promise<string | undefined> {
  const rows = (await run('SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint')) as unknown as SchemaRow[];
  const blocking = rows.find((row) => row.entityType === 'NODE' && row.owningConstraint == null && onKey(row, spec));
  if (blocking && !blocking.name.startsWith('pg2graph_')) {
    throw new Pg2GraphError(
      'WRITE_SCHEMA_CONFLICT',
      `Neo4j holds the index "${blocking.name}" on ${describeSpec(spec.label, spec.key)}, which prevents the key constraint; drop it (DROP INDEX ${quoteName(blocking.name)}) and run again`,
      { label: spec.label, key: spec.key, index: blocking.name },
    );
  }
  return blocking?.name;
}

/** Runs the statements of one key; on Neo4j an older lookup index of ours on the same properties gives way to the constraint. */
export async function createKeySchema(run: RunAuto, dialect: CypherDialect, spec: KeySpec): Promise<string[]> {
  const statements = dialect.keySchema(spec);
  for (const statement of statements) {
    try {
      await run(statement);
    } catch (error) {
      if (dialect.isAlreadyExists(error)) continue;
      if ((error as { code?: string }).code !== 'Neo.ClientError.Schema.IndexAlreadyExists' || !dialect.showsSchema) throw error;
      const index = await ownIndexBlocking(run, spec);
      if (!index) throw error;
      await run(`DROP INDEX ${quoteName(index)} IF EXISTS`);
      await run(statement);
    }
  }
  return statements;
}

export async function createMatchSchema(run: RunAuto, dialect: CypherDialect, spec: MatchSpec): Promise<string[]> {
  const statements = dialect.matchSchema(spec);
  for (const statement of statements) {
    try {
      await run(statement);
    } catch (error) {
      if (!dialect.isAlreadyExists(error)) throw error;
    }
  }
  return statements;
}

/** Neo4j only: every key has a uniqueness (or node key) constraint on exactly its properties. */
export async function verifyKeys(run: RunAuto, dialect: CypherDialect, specs: readonly KeySpec[]): Promise<void> {
  if (!dialect.showsSchema || !specs.length) return;
  const rows = (await run('SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties')) as unknown as SchemaRow[];
  for (const spec of specs) {
    const covered = rows.some((row) => row.entityType === 'NODE' && (row.type === 'UNIQUENESS' || row.type === 'NODE_KEY') && onKey(row, spec));
    if (covered) continue;
    const expected = dialect.keySchema(spec)[0] ?? '';
    const sameName = rows.find((row) => expected.includes(quoteName(row.name)));
    const holder = sameName
      ? ` The name is taken by constraint "${sameName.name}" on ${describeSpec((sameName.labelsOrTypes ?? []).join(':'), sameName.properties ?? [])}: drop it (DROP CONSTRAINT ${quoteName(sameName.name)}) and run again.`
      : '';
    throw new Pg2GraphError(
      'WRITE_SCHEMA_CONFLICT',
      `Neo4j has no uniqueness constraint on the key ${describeSpec(spec.label, spec.key)} after "${expected}".${holder}`,
      { label: spec.label, key: spec.key },
    );
  }
}
