/**
 * GraphPlan: the versioned, human-editable mapping from tables to a graph (see README, The graph plan). Its
 * documented fields are a public contract; add fields, never rename or drop those.
 */
import type { TableRef } from '../schema/model';
import type { ValuePolicy, ValueRule } from '../values/rule-types';

export const PLAN_VERSION = 1;

export interface PropertyMapping extends ValuePolicy {
  column: string;
  name: string;
  /** The column's type as introspected: short name, with typmod and [] where useful ("int2", "numeric(12,2)", "text[]", "mood"). */
  pgType: string;
  as: ValueRule;
}

export interface ComputedProperty {
  name: string;
  /** JSONata, evaluated per row against { <column>: value } (see engine/shape). */
  expression: string;
  as?: ValueRule;
}

/** A column of the source table that the entry does not migrate, and why (no value rule for its type, excluded). */
export interface LeftOutColumn {
  column: string;
  pgType: string;
  reason: string;
}

export interface NodeEntry {
  /** "schema.table" for tables; any unique id for SQL entries. */
  id: string;
  table?: TableRef;
  /** A SELECT to read instead of a table (then key columns must be named in properties). */
  sql?: string;
  label: string;
  /** Extra labels added to every node of the entry. */
  labels?: string[];
  /** Key property names (from the PK; composite keys stay several properties). */
  key: string[];
  /** Where the key comes from; 'rowContent' = md5 of the row's text (and occurrence number) when there is no PK or usable unique key. */
  keySource?: 'primaryKey' | 'unique' | 'rowContent' | 'declared';
  properties: PropertyMapping[];
  computed?: ComputedProperty[];
  /** Row filter: an SQL boolean expression over the table's columns, run inside the read-only snapshot. */
  where?: string;
  warnings: string[];
  /** Columns not migrated (informative; an override `as` brings one back). */
  leftOut?: LeftOutColumn[];
}

export interface RelationshipEnd {
  /** Id of the node entry at this end. */
  node: string;
  /** Property of that end's nodes -> column of the source table holding its value. */
  match: Record<string, string>;
}

export type RelationshipSource =
  | {
      kind: 'foreignKey';
      table: TableRef;
      constraint: string;
      /** FKs declared on partitions of `table`: every constraint folded into this entry, in name order (`constraint` is one of them). */
      constraints?: string[];
    }
  | { kind: 'joinTable'; table: TableRef };

export interface RelationshipEntry {
  id: string;
  type: string;
  source: RelationshipSource;
  /** Start node (the relationship points from -> to). */
  from: RelationshipEnd;
  to: RelationshipEnd;
  properties: PropertyMapping[];
  where?: string;
  warnings?: string[];
  /** Join tables: columns not migrated as relationship properties (informative). */
  leftOut?: LeftOutColumn[];
}

export interface NamingOptions {
  labels?: 'UpperCamelSingular' | 'asIs';
  relationshipTypes?: 'UPPER_SNAKE' | 'asIs';
  properties?: 'lowerCamel' | 'asIs';
}

export interface PlanOptions {
  batchSize: number;
  writeMode: 'merge' | 'create';
  naming?: NamingOptions;
  /** Defaults per pg type name ("numeric", "date", "_text", ...) applied at generation; properties may override. */
  typePolicies?: Record<string, ValuePolicy>;
  /** Node batches written at once. */
  concurrency?: number;
}

/**
 * An aggregate that verification compares exactly (engine/verify): the function of a source column computed by
 * Postgres, and of the property mapped from it computed by Cypher.
 */
export interface AggregateSpec {
  /** Plan entry id (node or relationship entry). */
  entry: string;
  /** Source column; the property mapped from it is aggregated in the graph. */
  column: string;
  function: 'sum' | 'min' | 'max' | 'count';
}

/** What verification checks besides counts, keys and properties. Not part of planFingerprint: it changes nothing written. */
export interface PlanVerification {
  aggregates?: AggregateSpec[];
}

export interface GraphPlan {
  version: typeof PLAN_VERSION;
  source: { schemas: string[]; include?: string[]; exclude?: string[] };
  options: PlanOptions;
  nodes: NodeEntry[];
  relationships: RelationshipEntry[];
  /** Plan-wide remarks (naming collisions resolved, FKs on partitions only, skipped views, ...). */
  warnings?: string[];
  verify?: PlanVerification;
}
