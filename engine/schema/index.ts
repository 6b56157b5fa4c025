export { introspect, type IntrospectOptions } from './introspect';
export { introspectDatabase, type IntrospectConnection } from './introspect-database';
export type { SchemaModel, TableInfo, TableKind, TableRef, ColumnInfo, PgTypeInfo, PgTypeCategory, ForeignKeyInfo, KeyConstraint } from './model';
