/**
 * Whether Postgres and the graph answered a query the same (README.md, Graph query, Comparing result sets): the
 * same columns, the same rows as multisets (and in the same order where the query orders them), values compared
 * by their keys (value-keys.ts). Pure: no database, no driver.
 */
import { compileValue, type TextConverter, type ValueSpec } from '../values/convert';
import { toJsNative } from '../values/js-native';
import { looseMode, valueKey, type ColumnMode } from './value-keys';

export interface ResultSet {
  columns: string[];
  /** Rows as arrays in the order of columns, or as objects keyed by column name (a missing member is null). */
  rows: unknown[][] | Record<string, unknown>[];
}

export interface SourceResultSet extends ResultSet {
  /**
   * Per column: the Postgres type ("int8", "numeric(12,2)", "timestamptz", "text[]") or the plan's property
   * (pgType with as and policies) when the rows hold the texts Postgres prints (under the reader's session
   * settings, README.md, Value rules). Such a column is converted under the value rules and compared exactly;
   * a column without one holds what pg's default type parsers give and is compared loosely (value-keys.ts).
   */
  types?: Array<string | ValueSpec | undefined>;
}

export interface CompareOptions {
  /** The query orders its rows (ORDER BY): the graph's must come in the same order. */
  ordered: boolean;
  /** How many differing rows to name one by one, and examples of rows found on one side only (default 5). */
  maxExamples?: number;
}

export type DifferenceKind = 'columns' | 'count' | 'value' | 'onlyInSource' | 'onlyInGraph' | 'order' | 'more';

export interface ResultDifference {
  kind: DifferenceKind;
  /** e.g. 'row 3 column price: source "1.50", graph 1.5' */
  message: string;
  /** 1-based row numbers on each side, where the difference is about one row. */
  sourceRow?: number;
  graphRow?: number;
  column?: string;
  /** Rows concerned (onlyInSource, onlyInGraph, more). */
  count?: number;
}

export interface ResultComparison {
  equal: boolean;
  differences: ResultDifference[];
}

interface Side {
  /** Values of the compared columns, per row: as given, and converted (the typed source columns) for keys. */
  values: unknown[][];
  keys: string[][];
  rowKeys: string[];
}

const DEFAULT_EXAMPLES = 5;
/** Pairing unmatched rows to name their differing columns costs |source| × |graph|; beyond this, rows are only listed. */
const MAX_PAIRINGS = 1_000_000;
const MAX_TEXT = 80;

function cell(row: unknown[] | Record<string, unknown>, columns: string[], column: string): unknown {
  return Array.isArray(row) ? row[columns.indexOf(column)] : row[column];
}

/** A value in a message: strings quoted, Dates as ISO text, bytes as \x hex, NULL for null. */
export function describeResultValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return value.toString();
  let text: string;
  try {
    const printable = value as { toPostgres?: () => string };
    // pg's interval objects print as Postgres does ("1 years 2 months"); anything else as JSON
    text = typeof printable.toPostgres === 'function' ? printable.toPostgres() : (JSON.stringify(value) ?? typeof value);
  } catch {
    text = typeof value;
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function typedConverter(type: string | ValueSpec, column: string): TextConverter | undefined {
  const spec: ValueSpec = typeof type === 'string' ? { pgType: type } : type;
  try {
    return compileValue(spec, { entry: 'query result', column });
  } catch {
    // a type without a value rule: its text, as "as": "string" keeps it
    return undefined;
  }
}

function converted(convert: TextConverter | undefined, value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'string' || !convert) return value;
  try {
    return toJsNative(convert(value));
  } catch {
    // a text its rule cannot hold is compared as the text itself
    return value;
  }
}

/**
 * One side's values and keys: `compared` turns each value into what is compared (the source's typed texts
 * converted by their rules), `shown` into what messages show (the graph's driver values made plain).
 */
function sideOf(
  set: ResultSet,
  columns: string[],
  modes: ColumnMode[],
  compared: (value: unknown, column: number) => unknown,
  shown = (value: unknown) => value,
): Side {
  const values: unknown[][] = [];
  const keys: string[][] = [];
  for (const row of set.rows) {
    const raw = columns.map((column) => shown(cell(row, set.columns, column)));
    values.push(raw);
    keys.push(raw.map((value, i) => valueKey(compared(value, i), modes[i])));
  }
  return { values, keys, rowKeys: keys.map((k) => JSON.stringify(k)) };
}

function describeRow(side: Side, index: number, columns: string[]): string {
  const text = columns.map((column, i) => `${column} ${describeResultValue(side.values[index][i])}`).join(', ');
  return `row ${index + 1} (${text.length > 3 * MAX_TEXT ? `${text.slice(0, 3 * MAX_TEXT)}…` : text})`;
}

function columnDifferences(source: string[], graph: string[]): ResultDifference[] {
  if (source.length === graph.length && source.every((c, i) => c === graph[i])) return [];
  const missing = source.filter((c) => !graph.includes(c));
  const extra = graph.filter((c) => !source.includes(c));
  const parts = [...(missing.length ? [`only in the source: ${missing.join(', ')}`] : []), ...(extra.length ? [`only in the graph: ${extra.join(', ')}`] : [])];
  const what = parts.length ? parts.join('; ') : 'the same names in another order';
  return [{ kind: 'columns', message: `columns differ (${what}): source [${source.join(', ')}], graph [${graph.join(', ')}]` }];
}

/** Matches graph rows to source rows of the same key, each source row at most once, earliest first. */
function unmatched(source: Side, graph: Side): { sourceOnly: number[]; graphOnly: number[] } {
  const waiting = new Map<string, number[]>();
  source.rowKeys.forEach((key, i) => {
    const list = waiting.get(key);
    if (list) list.push(i);
    else waiting.set(key, [i]);
  });
  const graphOnly: number[] = [];
  graph.rowKeys.forEach((key, i) => {
    const list = waiting.get(key);
    if (list && list.length) list.shift();
    else graphOnly.push(i);
  });
  const sourceOnly = [...waiting.values()].flat().sort((a, b) => a - b);
  return { sourceOnly, graphOnly };
}

/**
 * Pairs source-only with graph-only rows that agree in at least half their columns (any two rows of a single
 * column), those agreeing most first; a last row left on each side pairs with the other. Such a pair is one row
 * whose differing columns are named.
 */
function pairs(source: Side, graph: Side, sourceOnly: number[], graphOnly: number[], width: number): Array<[number, number]> {
  if (sourceOnly.length * graphOnly.length > MAX_PAIRINGS) return [];
  const candidates: Array<{ s: number; g: number; shared: number }> = [];
  for (const s of sourceOnly) {
    for (const g of graphOnly) {
      const shared = source.keys[s].filter((key, c) => key === graph.keys[g][c]).length;
      if (width === 1 || shared * 2 >= width) candidates.push({ s, g, shared });
    }
  }
  candidates.sort((a, b) => b.shared - a.shared || a.s - b.s || a.g - b.g);
  const usedSource = new Set<number>();
  const usedGraph = new Set<number>();
  const found: Array<[number, number]> = [];
  for (const { s, g } of candidates) {
    if (usedSource.has(s) || usedGraph.has(g)) continue;
    usedSource.add(s);
    usedGraph.add(g);
    found.push([s, g]);
  }
  const restSource = sourceOnly.filter((s) => !usedSource.has(s));
  const restGraph = graphOnly.filter((g) => !usedGraph.has(g));
  if (restSource.length === 1 && restGraph.length === 1) found.push([restSource[0], restGraph[0]]);
  return found.sort((a, b) => a[0] - b[0]);
}

function onlyOn(side: 'source' | 'graph', data: Side, rows: number[], columns: string[], examples: number): ResultDifference {
  const shown = rows.slice(0, examples).map((i) => describeRow(data, i, columns));
  const count = rows.length;
  return {
    kind: side === 'source' ? 'onlyInSource' : 'onlyInGraph',
    message: `${count} row${count === 1 ? '' : 's'} only in the ${side}, e.g. ${shown.join('; ')}`,
    count,
    ...(count === 1 ? (side === 'source' ? { sourceRow: rows[0] + 1 } : { graphRow: rows[0] + 1 }) : {}),
  };
}

function rowDifferences(source: Side, graph: Side, s: number, g: number, columns: string[]): ResultDifference[] {
  const differences: ResultDifference[] = [];
  columns.forEach((column, c) => {
    if (source.keys[s][c] === graph.keys[g][c]) return;
    const where = s === g ? `row ${s + 1}` : `row ${s + 1} (graph row ${g + 1})`;
    differences.push({
      kind: 'value',
      message: `${where} column ${column}: source ${describeResultValue(source.values[s][c])}, graph ${describeResultValue(graph.values[g][c])}`,
      sourceRow: s + 1,
      graphRow: g + 1,
      column,
    });
  });
  return differences;
}

/** The column modes: exact for typed source columns, else what the source's values tell (value-keys.ts). */
function modesOf(source: SourceResultSet, columns: string[]): { modes: ColumnMode[]; converters: Array<TextConverter | undefined> } {
  const converters = columns.map((column) => {
    const type = source.types?.[source.columns.indexOf(column)];
    return type === undefined ? undefined : typedConverter(type, column);
  });
  const modes = columns.map((column): ColumnMode => {
    if (source.types?.[source.columns.indexOf(column)] !== undefined) return 'exact';
    return looseMode((source.rows as Array<unknown[] | Record<string, unknown>>).map((row) => cell(row, source.columns, column)));
  });
  return { modes, converters };
}

export function compareResultSets(source: SourceResultSet, graph: ResultSet, options: CompareOptions): ResultComparison {
  const examples = options.maxExamples ?? DEFAULT_EXAMPLES;
  const differences = columnDifferences(source.columns, graph.columns);
  const columns = source.columns.filter((column) => graph.columns.includes(column));
  const { modes, converters } = modesOf(source, columns);
  const sourceSide = sideOf(source, columns, modes, (value, i) => converted(converters[i], value));
  // rows as runGraphQuery gives them are plain already; the driver's own values (an Integer, a DateTime) are made so
  const graphSide = sideOf(
    graph,
    columns,
    modes,
    (value) => value,
    (value) => (value !== null && typeof value === 'object' && !(value instanceof Date) ? toJsNative(value) : value),
  );
  const sourceCount = sourceSide.rowKeys.length;
  const graphCount = graphSide.rowKeys.length;
  if (sourceCount !== graphCount) differences.push({ kind: 'count', message: `the source has ${sourceCount} rows, the graph ${graphCount}` });

  const { sourceOnly, graphOnly } = unmatched(sourceSide, graphSide);
  if (!sourceOnly.length && !graphOnly.length) {
    if (options.ordered) {
      const at = sourceSide.rowKeys.findIndex((key, i) => key !== graphSide.rowKeys[i]);
      if (at >= 0) {
        differences.push({
          kind: 'order',
          message: `order differs at row ${at + 1}: source ${describeRow(sourceSide, at, columns)}, graph ${describeRow(graphSide, at, columns)}`,
          sourceRow: at + 1,
          graphRow: at + 1,
        });
      }
    }
    return { equal: differences.length === 0, differences };
  }

  const paired = pairs(sourceSide, graphSide, sourceOnly, graphOnly, columns.length);
  paired.slice(0, examples).forEach(([s, g]) => differences.push(...rowDifferences(sourceSide, graphSide, s, g, columns)));
  if (paired.length > examples) {
    const more = paired.length - examples;
    differences.push({ kind: 'more', message: `and ${more} more row${more === 1 ? '' : 's'} with differing values`, count: more });
  }
  const pairedSource = new Set(paired.map(([s]) => s));
  const pairedGraph = new Set(paired.map(([, g]) => g));
  const restSource = sourceOnly.filter((s) => !pairedSource.has(s));
  const restGraph = graphOnly.filter((g) => !pairedGraph.has(g));
  if (restSource.length) differences.push(onlyOn('source', sourceSide, restSource, columns, examples));
  if (restGraph.length) differences.push(onlyOn('graph', graphSide, restGraph, columns, examples));
  return { equal: false, differences };
}
