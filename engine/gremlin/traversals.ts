/**
 * The traversals of the Gremlin target (README.md, Gremlin: how a batch is written), one request per batch:
 * `inject(rows).unfold()` then `mergeV` / `mergeE` looked up by the element's id, then one property step per
 * column. A static traversal per batch whose rows travel as maps (values as GraphBinary, never text): the same
 * bytecode for every row, so the server plans it once, and the request grows only with the data. Nodes: `mergeV`
 * (MERGE) or `addV` with the id (CREATE: an id taken already fails). Relationships: `mergeE` with both end ids.
 */
import gremlin from 'gremlin';
import type { GremlinProperty, GremlinScalar } from './values';

type Source = gremlin.process.GraphTraversalSource;
type Traversal = gremlin.process.GraphTraversal;
const { statics: __, merge, cardinality, t, direction, scope } = gremlin.process;

/** One element of a batch: its id and each column's property (positional, like the batch's columns). */
export interface ElementRow {
  id: string;
  properties: GremlinProperty[];
  /** Edges: the ids of both ends. */
  from?: string;
  to?: string;
}

export interface ElementBatch {
  /** Vertex label or edge label. */
  label: string;
  columns: readonly string[];
  rows: readonly ElementRow[];
  mode: 'merge' | 'create';
}

/** What one write answers: the rows it wrote and how many of their ids existed before. */
export interface WriteAnswer {
  rows: number;
  before: number;
}

const isList = (value: GremlinProperty): value is { list: GremlinScalar[] } => typeof value === 'object' && value !== null && 'list' in value;

/**
 * The row as the traversal reads it: `id` the id (addV), or `m` the lookup (and create) map (mergeV, mergeE), never
 * both (a row travels once per request: what no step reads is not sent); `p<i>` single values, `l<i>` list values.
 */
function rowMap(batch: ElementBatch, row: ElementRow, element: 'vertex' | 'edge'): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>();
  if (element === 'vertex' && batch.mode === 'create') {
    map.set('id', row.id);
  } else {
    const lookup = new Map<unknown, unknown>([
      [t.id, row.id],
      [t.label, batch.label],
    ]);
    if (element === 'edge') {
      lookup.set(direction.out, row.from);
      lookup.set(direction.in, row.to);
    }
    map.set('m', lookup);
  }
  row.properties.forEach((value, i) => {
    if (value === undefined) return;
    if (isList(value)) map.set(`l${i}`, value.list);
    else map.set(`p${i}`, value);
  });
  return map;
}

/** One property step per column, chosen by what the batch holds in it (all set, some absent, lists). */
function withProperties(traversal: Traversal, batch: ElementBatch, element: 'vertex' | 'edge'): Traversal {
  let result = traversal.as('v');
  batch.columns.forEach((name, i) => {
    const values = batch.rows.map((row) => row.properties[i]);
    const scalars = values.some((value) => value !== undefined && !isList(value));
    const lists = values.some(isList);
    const absent = values.some((value) => value === undefined);
    const single = (next: Traversal) => (element === 'vertex' ? next.property(cardinality.single, name, __.select('e')) : next.property(name, __.select('e')));
    if (scalars && !lists && !absent) {
      result =
        element === 'vertex'
          ? result.property(cardinality.single, name, __.select('r').select(`p${i}`))
          : result.property(name, __.select('r').select(`p${i}`));
      return;
    }
    // MERGE: what the row does not set must not stay from an earlier run (a value now NULL, a list's old elements)
    if (batch.mode === 'merge' && (absent || lists)) result = result.sideEffect(__.properties(name).drop());
    if (scalars) result = result.sideEffect(single(__.select('r').select(`p${i}`).as('e').select('v')));
    if (lists) result = result.sideEffect(__.select('r').select(`l${i}`).unfold().as('e').select('v').property(cardinality.list, name, __.select('e')));
  });
  return result;
}

/** `before`: how many of the batch's distinct ids were there already (so created = distinct ids - before). */
function counted(g: Source, ids: readonly string[], element: 'vertex' | 'edge', rows: unknown[]): Traversal {
  const distinct = [...new Set(ids)];
  const start = g.inject(0);
  const before = distinct.length
    ? start.sideEffect(
        (element === 'vertex' ? __.V(...distinct) : (__ as unknown as { E(...ids: string[]): Traversal }).E(...distinct)).count().aggregate('before'),
      )
    : start.sideEffect(__.constant(0).aggregate('before'));
  return before.constant(rows).unfold().as('r');
}

function answered(traversal: Traversal): Traversal {
  return traversal.fold().project('rows', 'before').by(__.count(scope.local)).by(__.cap('before').unfold());
}

/**
 * Upserts (MERGE) or creates (CREATE) a batch of vertices of one label. CREATE counts nothing before: an id the
 * graph holds already fails the request, so none did.
 */
export function vertexWrite(g: Source, batch: ElementBatch): Traversal {
  const rows = batch.rows.map((row) => rowMap(batch, row, 'vertex'));
  const start = counted(g, batch.mode === 'create' ? [] : batch.rows.map((row) => row.id), 'vertex', rows);
  const written =
    batch.mode === 'create'
      ? start.addV(batch.label).property(t.id, __.select('r').select('id'))
      : start.mergeV(__.select('m')).option(merge.onMatch, __.constant(new Map()));
  return answered(withProperties(written, batch, 'vertex'));
}

/** Upserts a batch of edges of one label between vertices that exist (their ids are in each row). */
export function edgeWrite(g: Source, batch: ElementBatch): Traversal {
  const rows = batch.rows.map((row) => rowMap(batch, row, 'edge'));
  const start = counted(
    g,
    batch.rows.map((row) => row.id),
    'edge',
    rows,
  );
  return answered(withProperties(start.mergeE(__.select('m')).option(merge.onMatch, __.constant(new Map())), batch, 'edge'));
}

/** The ids among these that name a vertex. */
export function existingVertices(g: Source, ids: readonly string[]): Traversal {
  return g.V(...new Set(ids)).id();
}

/**
 * Vertices of a label found by property values (an end matched on a unique property that is not its key): each as
 * a map of `id` and the properties; one request for a batch's distinct values.
 */
export function verticesByProperties(g: Source, label: string, names: readonly string[], values: readonly GremlinScalar[][]): Traversal {
  let traversal = g.V().hasLabel(label);
  names.forEach((name, i) => {
    traversal = traversal.has(name, gremlin.process.P.within(...values.map((row) => row[i])));
  });
  let projection = traversal.project('id', ...names).by(t.id);
  for (const name of names) projection = projection.by(name);
  return projection;
}
