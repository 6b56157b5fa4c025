/**
 * The Cypher text of every write, generated from record shapes for one dialect. Names are backtick-quoted,
 * values only travel in `$rows` (positional lists, `r[i]`); one code path for Neo4j, Memgraph and Neptune,
 * with the dialect deciding how a node is identified (key properties, or Neptune's `~id`).
 */
import { sameMembers } from '../core/sets';
import type { CypherDialect } from '../cypher/dialects';
import { labelText, quoteName } from '../cypher/names';
import { neptuneNodeId } from '../cypher/neptune-id';
import type { WriteMode } from './target';

/** A statement over `$rows`, with the row encoding it expects (identity unless the dialect adds ids). */
export interface RowStatement {
  text: string;
  encode(rows: unknown[][]): unknown[][];
}

export interface NodeShape {
  labels: string[];
  key: string[];
  /** Key first, then the other properties: the positions of the row values. */
  columns: string[];
}

export interface EndShape {
  labels: string[];
  match: string[];
  /**
   * The end node's key when the writer knows it. On a dialect keyed by `~id`, an end whose match properties are
   * exactly its key is matched by `~id` (fast); any other end by label and properties.
   */
  key?: string[];
}

export interface RelationshipShape {
  type: string;
  from: EndShape;
  to: EndShape;
  /** from.match, then to.match, then the relationship's properties. */
  columns: string[];
}

const identity = (rows: unknown[][]) => rows;

function assignments(variable: string, items: Array<{ name: string; expr: string }>): string {
  return items.map((item) => `${variable}.${quoteName(item.name)} = ${item.expr}`).join(', ');
}

function propertyMap(items: Array<{ name: string; expr: string }>): string {
  return items.length ? ` {${items.map((item) => `${quoteName(item.name)}: ${item.expr}`).join(', ')}}` : '';
}

const ID = '~id';

/** One UNWIND per batch: MERGE on the node key (or `~id`) and SET every other property, or CREATE with all of them. */
export function nodeWriteStatement(dialect: CypherDialect, shape: NodeShape, mode: WriteMode): RowStatement {
  const [primary, ...extra] = shape.labels;
  const offset = dialect.keyedById ? 1 : 0;
  const columns = shape.columns.map((name, i) => ({ name, expr: `r[${i + offset}]` }));
  const keyColumns = columns.slice(0, shape.key.length);
  const identityItems = dialect.keyedById ? [{ name: ID, expr: 'r[0]' }] : keyColumns;
  const setItems = dialect.keyedById ? columns : columns.slice(shape.key.length);
  const lines = ['UNWIND $rows AS r'];
  if (mode === 'create') {
    lines.push(`CREATE (n${labelText(shape.labels)}${propertyMap([...(dialect.keyedById ? identityItems : []), ...columns])})`);
  } else {
    lines.push(`MERGE (n${labelText([primary])}${propertyMap(identityItems)})`);
    const sets = [assignments('n', setItems), extra.length ? `n${labelText(extra)}` : ''].filter(Boolean);
    if (sets.length) lines.push(`SET ${sets.join(', ')}`);
  }
  const keyLength = shape.key.length;
  const encode = dialect.keyedById ? (rows: unknown[][]) => rows.map((row) => [neptuneNodeId(primary, row.slice(0, keyLength)), ...row]) : identity;
  return { text: lines.join('\n'), encode };
}

interface EndPlan {
  pattern: string;
  /** Value for the encoded row when the end is matched by `~id`. */
  id?: (row: unknown[]) => string;
}

/** How each end is matched and which encoded-row positions hold its values. */
function endPlans(dialect: CypherDialect, shape: RelationshipShape): { from: EndPlan; to: EndPlan; propertyOffset: number } {
  const fromById = dialect.keyedById && !!shape.from.key && sameMembers(shape.from.match, shape.from.key);
  const toById = dialect.keyedById && !!shape.to.key && sameMembers(shape.to.match, shape.to.key);
  const prefix = (fromById ? 1 : 0) + (toById ? 1 : 0);
  const fromStart = 0;
  const toStart = shape.from.match.length;
  const plan = (end: EndShape, start: number, byId: boolean, idPosition: number, variable: string): EndPlan => {
    if (byId) {
      const keyOrder = (end.key as string[]).map((name) => start + end.match.indexOf(name));
      return {
        pattern: `(${variable}${labelText(end.labels)} {${quoteName(ID)}: r[${idPosition}]})`,
        id: (row) =>
          neptuneNodeId(
            end.labels[0],
            keyOrder.map((i) => row[i]),
          ),
      };
    }
    const items = end.match.map((name, i) => ({ name, expr: `r[${prefix + start + i}]` }));
    return { pattern: `(${variable}${labelText(end.labels)}${propertyMap(items)})` };
  };
  return {
    from: plan(shape.from, fromStart, fromById, 0, 'a'),
    to: plan(shape.to, toStart, toById, fromById ? 1 : 0, 'b'),
    propertyOffset: prefix + shape.from.match.length + shape.to.match.length,
  };
}

function encoderFor(ends: { from: EndPlan; to: EndPlan }): (rows: unknown[][]) => unknown[][] {
  const makers = [ends.from.id, ends.to.id].filter((maker): maker is (row: unknown[]) => string => !!maker);
  if (!makers.length) return identity;
  return (rows) => rows.map((row) => [...makers.map((make) => make(row)), ...row]);
}

const INDEXED_ROWS = ['UNWIND range(0, size($rows) - 1) AS i', 'WITH i, $rows[i] AS r'];

/**
 * MATCH both ends, then MERGE or CREATE the relationship with its properties. Returns `written`: the number of
 * rows whose two ends were found (the others are looked up by missingEndsStatement).
 */
export function relationshipWriteStatement(dialect: CypherDialect, shape: RelationshipShape, mode: WriteMode): RowStatement {
  const ends = endPlans(dialect, shape);
  const propertyNames = shape.columns.slice(shape.from.match.length + shape.to.match.length);
  const properties = propertyNames.map((name, i) => ({ name, expr: `r[${ends.propertyOffset + i}]` }));
  const type = labelText([shape.type]);
  const lines = [...INDEXED_ROWS, `MATCH ${ends.from.pattern}`, `MATCH ${ends.to.pattern}`];
  if (mode === 'create') {
    lines.push(`CREATE (a)-[e${type}${propertyMap(properties)}]->(b)`);
  } else {
    lines.push(`MERGE (a)-[e${type}]->(b)`);
    if (properties.length) lines.push(`SET ${assignments('e', properties)}`);
  }
  lines.push('RETURN count(DISTINCT i) AS written');
  return { text: lines.join('\n'), encode: encoderFor(ends) };
}

/** Rows of a batch whose start or end node does not exist: row position and which end is there. */
export function missingEndsStatement(dialect: CypherDialect, shape: RelationshipShape): RowStatement {
  const ends = endPlans(dialect, shape);
  const lines = [
    ...INDEXED_ROWS,
    `OPTIONAL MATCH ${ends.from.pattern}`,
    'WITH i, r, count(a) AS starts',
    `OPTIONAL MATCH ${ends.to.pattern}`,
    'WITH i, starts, count(b) AS ends',
    'WHERE starts = 0 OR ends = 0',
    'RETURN i AS row, starts > 0 AS hasStart, ends > 0 AS hasEnd',
  ];
  return { text: lines.join('\n'), encode: encoderFor(ends) };
}

/** CREATE mode's guard: does the target already hold nodes with these labels? */
export function nodesExistStatement(labels: readonly string[]): string {
  return `MATCH (n${labelText(labels)}) RETURN 1 AS found LIMIT 1`;
}

/** CREATE mode's guard for relationships of one type between the two end labels. */
export function relationshipsExistStatement(shape: Pick<RelationshipShape, 'type' | 'from' | 'to'>): string {
  return `MATCH (a${labelText(shape.from.labels)})-[e${labelText([shape.type])}]->(b${labelText(shape.to.labels)}) RETURN 1 AS found LIMIT 1`;
}
