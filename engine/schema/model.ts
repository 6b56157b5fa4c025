/**
 * SchemaModel: what introspection reads from pg_catalog for the chosen schemas (see README, The graph plan).
 * Names are exactly as Postgres stores them (case, spaces and all); quoting happens where SQL is built.
 */

export interface TableRef {
  schema: string;
  name: string;
}

export type TableKind = 'table' | 'partitioned' | 'view' | 'materializedView' | 'foreign';

export type PgTypeCategory = 'base' | 'enum' | 'domain' | 'array' | 'composite' | 'range' | 'pseudo' | 'other';

export interface PgTypeInfo {
  /** Full type as format_type() prints it, typmod included: "numeric(12,2)", "character varying(40)", "integer[]". */
  display: string;
  /** Short name that value rules key on: pg_type.typname of the type itself ("int4", "numeric", "mood", "_int4"). */
  name: string;
  /** Schema of the type ("pg_catalog" for built-ins). */
  schema: string;
  oid: number;
  category: PgTypeCategory;
  /** Arrays: the element type (domains over arrays resolve through `domainBase`). */
  element?: PgTypeInfo;
  /** Enums: labels in sort order. */
  enumLabels?: string[];
  /** Domains: the base type, resolved recursively (a domain over a domain ends at a non-domain type). */
  domainBase?: PgTypeInfo;
  /** Parsed typmod: numeric(p,s), varchar(n)/char(n), timestamp(p), ... */
  typmod?: { precision?: number; scale?: number; length?: number };
}

export interface ColumnInfo {
  name: string;
  /** 1-based attnum order as declared. */
  position: number;
  type: PgTypeInfo;
  nullable: boolean;
  /** 'stored' for GENERATED ALWAYS AS (...) STORED, 'virtual' for PG 18 virtual generated columns. */
  generated?: 'stored' | 'virtual';
  identity?: 'always' | 'byDefault';
  /** Default expression text, when any. */
  default?: string;
  comment?: string;
}

export interface KeyConstraint {
  name: string;
  columns: string[];
}

export interface ForeignKeyInfo {
  name: string;
  /** Referencing columns, in constraint order. */
  columns: string[];
  references: TableRef & { columns: string[] };
  /** Whether the referenced columns are the referenced table's primary key or one of its unique constraints. */
  referencesKey: 'primaryKey' | 'unique';
  /** Set when the FK is declared only on a partition (not on the partitioned parent): the partition's name. */
  declaredOnPartition?: string;
  /**
   * With declaredOnPartition: the leaf partitions (those that hold rows) whose rows the FK constrains: the
   * partition itself, or every leaf below it when that partition is partitioned in turn.
   */
  partitionLeaves?: TableRef[];
}

/** A partition of a partitioned table, at any depth. */
export interface PartitionRef extends TableRef {
  /** Set when the partition is partitioned in turn (it holds no rows itself; its leaves do). */
  partitioned?: true;
}

export interface TableInfo extends TableRef {
  kind: TableKind;
  /** pg_class.reltuples (summed over partitions); -1 when never analyzed. */
  rowEstimate: number;
  comment?: string;
  columns: ColumnInfo[];
  primaryKey?: KeyConstraint;
  /** UNIQUE constraints and unique indexes without expressions or predicates. */
  uniqueConstraints: KeyConstraint[];
  foreignKeys: ForeignKeyInfo[];
  /** Partitioned tables: their partitions at every depth (folded into this entry; not tables of their own). */
  partitions?: PartitionRef[];
  /** Whether the introspecting user may SELECT from it (USAGE on the schema and SELECT on the table). */
  readable?: boolean;
}

export interface SchemaNote {
  table?: TableRef;
  message: string;
}

export interface SchemaModel {
  database: string;
  serverVersion: string;
  schemas: string[];
  tables: TableInfo[];
  notes: SchemaNote[];
}
