/**
 * What differs between the Bolt targets (see README, Writing): how a key is made unique and fast to find, how a node is
 * identified, and which errors are worth a retry. Everything else is one code path (statements.ts).
 */
import type { GraphDialect } from '../connect/neo4j-settings';
import { checkedDialect } from '../connect/neo4j-settings';
import { labelText, quoteName, schemaObjectName } from './names';

/** Node key: uniqueness on these properties of nodes with this (primary) label. */
export interface KeySpec {
  label: string;
  key: string[];
}

/** Lookup of relationship ends on properties that are not the node key (an FK to a UNIQUE column). */
export interface MatchSpec {
  label: string;
  properties: string[];
}

export interface CypherDialect {
  readonly name: GraphDialect;
  /**
   * true: nodes carry a `~id` built from label and key values (Neptune) and MERGE/MATCH use it;
   * false: MERGE/MATCH use the key properties, made unique by keySchema.
   */
  readonly keyedById: boolean;
  /** Statements that make the key unique and indexed; empty when the database has no such statements. */
  keySchema(spec: KeySpec): string[];
  matchSchema(spec: MatchSpec): string[];
  /** Whether the database answers SHOW CONSTRAINTS / SHOW INDEXES as Neo4j 5 does (used to verify prepare). */
  readonly showsSchema: boolean;
  /** Errors after which the same transaction may succeed when tried again. */
  isTransient(error: unknown): boolean;
  /** A schema statement failed only because its object exists already. */
  isAlreadyExists(error: unknown): boolean;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

function messageText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Bolt-level transient failures: a TransientError code (Neo4j and Memgraph), or the connection dropped. */
function boltTransient(error: unknown): boolean {
  const code = codeOf(error);
  return code.includes('TransientError') || code === 'ServiceUnavailable' || code === 'SessionExpired';
}

function propertyList(variable: string, properties: readonly string[]): string {
  return properties.map((p) => `${variable}.${quoteName(p)}`).join(', ');
}

export const NEO4J_DIALECT: CypherDialect = {
  name: 'neo4j',
  keyedById: false,
  showsSchema: true,
  keySchema({ label, key }) {
    const name = quoteName(schemaObjectName([label], 'key'));
    const required = key.length === 1 ? propertyList('n', key) : `(${propertyList('n', key)})`;
    return [`CREATE CONSTRAINT ${name} IF NOT EXISTS FOR (n${labelText([label])}) REQUIRE ${required} IS UNIQUE`];
  },
  matchSchema({ label, properties }) {
    const name = quoteName(schemaObjectName([label, ...properties], 'match'));
    return [`CREATE INDEX ${name} IF NOT EXISTS FOR (n${labelText([label])}) ON (${propertyList('n', properties)})`];
  },
  isTransient: boltTransient,
  isAlreadyExists: (error) => codeOf(error) === 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
};

/**
 * Memgraph: a uniqueness constraint does not index anything, so every key property gets a label-property
 * index as well; neither statement takes a name or IF NOT EXISTS (an existing one is reported or ignored).
 */
export const MEMGRAPH_DIALECT: CypherDialect = {
  name: 'memgraph',
  keyedById: false,
  showsSchema: false,
  keySchema({ label, key }) {
    const indexes = key.map((p) => `CREATE INDEX ON ${labelText([label])}(${quoteName(p)})`);
    return [...indexes, `CREATE CONSTRAINT ON (n${labelText([label])}) ASSERT ${propertyList('n', key)} IS UNIQUE`];
  },
  matchSchema({ label, properties }) {
    return properties.map((p) => `CREATE INDEX ON ${labelText([label])}(${quoteName(p)})`);
  },
  isTransient: boltTransient,
  isAlreadyExists: (error) => /already exists/i.test(messageText(error)),
};

/**
 * Amazon Neptune (openCypher over Bolt): no constraints or index statements (it indexes everything itself);
 * uniqueness comes from `~id`, which MERGE and MATCH use. Conflicting concurrent writes fail with a
 * ConcurrentModificationException, which is worth a retry.
 */
export const NEPTUNE_DIALECT: CypherDialect = {
  name: 'neptune',
  keyedById: true,
  showsSchema: false,
  keySchema: () => [],
  matchSchema: () => [],
  isTransient: (error) => boltTransient(error) || /ConcurrentModification/i.test(`${codeOf(error)} ${messageText(error)}`),
  isAlreadyExists: () => false,
};

export function dialectFor(name: GraphDialect | (string & {}) | undefined): CypherDialect {
  const dialect = checkedDialect(name);
  if (dialect === 'memgraph') return MEMGRAPH_DIALECT;
  if (dialect === 'neptune') return NEPTUNE_DIALECT;
  return NEO4J_DIALECT;
}
