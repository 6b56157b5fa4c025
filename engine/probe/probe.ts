/**
 * Probing the data for values a plan's rules cannot hold (see README, Value rules: probing): one aggregate query
 * per source table (or SQL entry), with a count and one example row per candidate column and check, filtered by
 * each entry's `where`; a table without candidate columns costs nothing. Each query runs under its own
 * statement_timeout inside a savepoint, so a slow table is "not probed" (a warning), never a failed transaction.
 */
import { escapeIdentifier as ident } from 'pg';
import { Pg2GraphError } from '../core/errors';
import { integerSetting } from '../core/settings';
import {
  ROW_HASH_ALIAS,
  columnProperties,
  describeSource,
  isRelationshipEntry,
  keyColumnsOf,
  sourceFromSql,
  sourceTable,
  type PlanEntry,
} from '../plan/entry-columns';
import { childPath } from '../plan/problems';
import type { GraphPlan, PropertyMapping } from '../plan/types';
import type { ValuePolicy, ValueRule } from '../values/rule-types';
import { valueChecks, type ProblemKind, type ValueCheck } from './checks';

/**
 * One connection inside an open transaction (a ReadSnapshot is one): the probe sets its timeout with SET LOCAL
 * inside a savepoint and rolls back to it after every query.
 */
export interface ProbeSession {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
const MAX_PROBE_TIMEOUT_MS = 86_400_000;

/** The probe's statement_timeout per query: an integer of milliseconds, 0 for none. */
export function checkProbeTimeout(value: unknown, setting = 'probeTimeoutMs'): number {
  return integerSetting(value, { code: 'PROBE_SETTING_INVALID', setting, min: 0, max: MAX_PROBE_TIMEOUT_MS });
}

/** Source rows whose value in one column its rule cannot hold, for one reason. */
export interface ValueProblem {
  entry: string;
  kind: 'node' | 'relationship';
  /** "table public.traps" or "SQL query". */
  source: string;
  column: string;
  /** The property the column becomes (for a match column: the end node's key property). */
  property: string;
  /**
   * Plan path of the property mapping whose rule and policies convert the column (`nodes[0].properties[2]`;
   * for a match column, the end node's key property): where `keep` goes.
   */
  path: string;
  /** For a match column: its place in the relationship entry (`relationships[1].from.match.id`). */
  matchPath?: string;
  problem: ProblemKind;
  /** What is wrong, in words. */
  reason: string;
  /** Rows (passing the entry's filter) with such a value. */
  count: number;
  /**
   * One of those rows: its key as the shaper names it (`["7"]` for a node, `{"from":["7"],"to":["3"]}` for a
   * relationship), or for content-keyed rows the row's text (`(7,"{a,NULL}")`, cut at 500 characters).
   */
  example: string;
  exampleIs: 'key' | 'row';
  /** The example row's value (its text, cut at 200 characters). */
  value: string;
  /** The rule and policies in force. */
  rule: ValueRule;
  policy: Omit<ValuePolicy, 'as'>;
  /** The policy change that would hold every value of the column without loss. */
  keep: ValuePolicy;
}

/** A source whose query did not finish in time or could not run: its entries were not probed. */
export interface NotProbed {
  source: string;
  entries: string[];
  timedOut: boolean;
  reason: string;
}

export interface ProbeResult {
  problems: ValueProblem[];
  notProbed: NotProbed[];
  /** Aggregate queries run (one per source with candidate columns). */
  queries: number;
  durationMs: number;
}

export interface ProbeOptions {
  /** statement_timeout per query in ms (default 30 s; 0: none). */
  timeoutMs?: number;
  /** Only these entry ids (default every entry). */
  entries?: string[];
  signal?: AbortSignal;
}

const ALIAS = 't';
const VALUE_PREVIEW = 200;
const ROW_PREVIEW = 500;
const SAVEPOINT = 'pg2graph_probe';
const POLICY_FIELDS = ['nullElements', 'multiDimensional', 'infinity', 'trim'] as const;

/** One column of one entry under one check: a count and an example in the source's query. */
export interface Cell {
  entry: PlanEntry;
  column: string;
  property: PropertyMapping;
  path: string;
  matchPath?: string;
  check: ValueCheck;
  /** The whole filter: the entry's where, non-NULL match columns, the check. */
  condition: string;
}

function column(name: string): string {
  return `${ALIAS}.${ident(name)}`;
}

function sourceIdentity(entry: PlanEntry): string {
  const table = sourceTable(entry);
  return table ? `table ${JSON.stringify([table.schema, table.name])}` : `sql ${sourceFromSql(entry)}`;
}

/** How an entry names a row: SQL for its parts, and how they print (the shaper's key text). */
export interface RowNaming {
  parts: string[];
  /** Node keys: the key property names; relationships: the from then the to match names; content keys: none (the part is the row's text). */
  names: { from?: string[]; to?: string[]; key?: string[] };
  /** Whether rows are named by their text (content keys), not by a key. */
  byRow?: boolean;
  format(texts: Array<string | null>): string;
}

export function rowNaming(entry: PlanEntry): RowNaming {
  const rowText: RowNaming = {
    parts: [`pg_catalog.left((${ALIAS}.*)::text, ${ROW_PREVIEW})`],
    names: {},
    byRow: true,
    format: (texts) => texts[0] ?? '',
  };
  if (isRelationshipEntry(entry)) {
    const from = Object.values(entry.from.match);
    const to = Object.values(entry.to.match);
    if ([...from, ...to].includes(ROW_HASH_ALIAS)) return rowText;
    return {
      parts: [...from, ...to].map((c) => `${column(c)}::text`),
      names: { from: Object.keys(entry.from.match), to: Object.keys(entry.to.match) },
      format: (texts) => JSON.stringify({ from: texts.slice(0, from.length), to: texts.slice(from.length, from.length + to.length) }),
    };
  }
  if (entry.keySource === 'rowContent') return rowText;
  const keys = keyColumnsOf(entry);
  return { parts: keys.map((c) => `${column(c)}::text`), names: { key: entry.key }, format: (texts) => JSON.stringify(texts.slice(0, keys.length)) };
}

function policyOf(property: PropertyMapping): Omit<ValuePolicy, 'as'> {
  const policy: Record<string, unknown> = {};
  for (const field of POLICY_FIELDS) if (property[field] !== undefined) policy[field] = property[field];
  return policy;
}

/** The cells of one entry (plan index `index` in its list): its property columns and, for relationships, match columns. */
export function entryCells(plan: GraphPlan, entry: PlanEntry): Cell[] {
  const cells: Cell[] = [];
  const filters: string[] = entry.where?.trim() ? [`(${entry.where.trim()})`] : [];
  const add = (columnName: string, property: PropertyMapping, path: string, matchPath?: string) => {
    const site = { entry: entry.id, column: columnName };
    for (const check of valueChecks(property, column(columnName), site)) {
      cells.push({ entry, column: columnName, property, path, matchPath, check, condition: [...filters, check.predicate].join(' AND ') });
    }
  };
  if (isRelationshipEntry(entry)) {
    const index = plan.relationships.indexOf(entry);
    const base = `relationships[${index}]`;
    // a row with a NULL match column makes no relationship and is never converted
    const matches = [...Object.values(entry.from.match), ...Object.values(entry.to.match)].filter((c) => c !== ROW_HASH_ALIAS);
    for (const c of new Set(matches)) filters.push(`${column(c)} IS NOT NULL`);
    for (const side of ['from', 'to'] as const) {
      const nodeIndex = plan.nodes.findIndex((n) => n.id === entry[side].node);
      const node = plan.nodes[nodeIndex];
      for (const [name, columnName] of Object.entries(entry[side].match)) {
        if (columnName === ROW_HASH_ALIAS || !node) continue;
        const p = node.properties.findIndex((m) => m.name === name);
        if (p < 0) continue;
        add(columnName, node.properties[p], `nodes[${nodeIndex}].properties[${p}]`, childPath(`${base}.${side}.match`, name));
      }
    }
    entry.properties.forEach((property, p) => add(property.column, property, `${base}.properties[${p}]`));
    return cells;
  }
  const index = plan.nodes.indexOf(entry);
  const mapped = columnProperties(entry);
  entry.properties.forEach((property, p) => {
    if (mapped.includes(property)) add(property.column, property, `nodes[${index}].properties[${p}]`);
  });
  return cells;
}

interface Source {
  description: string;
  from: string;
  entries: PlanEntry[];
  cells: Cell[];
}

function isTimeout(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '57014';
}

/** Errors in the query itself (an unknown table or column, a where that does not run): the reader reports those better. */
function isQueryError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(42|22)/.test(code);
}

/** Runs one query under the timeout in a savepoint; undefined when it timed out or could not run (`onSkip` says why). */
export async function boundedQuery<R extends Record<string, unknown>>(
  session: ProbeSession,
  sql: string,
  timeoutMs: number,
  onSkip: (timedOut: boolean, reason: string) => void,
): Promise<R[] | undefined> {
  await session.query(`SAVEPOINT ${SAVEPOINT}`);
  let rows: R[] | undefined;
  try {
    await session.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    rows = (await session.query<R>(sql)).rows;
  } catch (error) {
    if (!isTimeout(error) && !isQueryError(error)) throw error;
    onSkip(isTimeout(error), isTimeout(error) ? `it did not finish within ${timeoutMs} ms (probeTimeoutMs)` : (error as Error).message);
  }
  // read only: rolling back loses nothing and ends the SET LOCAL (and an aborted query's state)
  await session.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  await session.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  return rows;
}

function selectedEntries(plan: GraphPlan, ids: string[] | undefined): PlanEntry[] {
  const all: PlanEntry[] = [...plan.nodes, ...plan.relationships];
  if (!ids) return all;
  for (const id of ids) {
    if (!all.some((e) => e.id === id)) throw new Pg2GraphError('PROBE_SETTING_INVALID', `entry "${id}" (in entries) is not in the plan`, { entry: id });
  }
  return all.filter((e) => ids.includes(e.id));
}

/** The plan's sources with candidate cells, in plan order, entries of one table together. */
export function probeSources(plan: GraphPlan, entries?: string[]): Source[] {
  const sources = new Map<string, Source>();
  for (const entry of selectedEntries(plan, entries)) {
    const cells = entryCells(plan, entry);
    if (!cells.length) continue;
    const id = sourceIdentity(entry);
    const source = sources.get(id) ?? { description: describeSource(entry), from: sourceFromSql(entry), entries: [], cells: [] };
    source.entries.push(entry);
    source.cells.push(...cells);
    sources.set(id, source);
  }
  return [...sources.values()];
}

/** The aggregate query of a source: per cell a count and the smallest (key texts…, value text) of its rows. */
export function probeQuery(source: Source): string {
  const items = source.cells.flatMap((cell, i) => {
    const naming = rowNaming(cell.entry);
    const example = [...naming.parts, `pg_catalog.left(${column(cell.column)}::text, ${VALUE_PREVIEW})`];
    return [`count(*) FILTER (WHERE ${cell.condition}) AS c${i}`, `min(ARRAY[${example.join(', ')}]) FILTER (WHERE ${cell.condition}) AS e${i}`];
  });
  return `SELECT ${items.join(', ')} FROM ${source.from} AS ${ALIAS}`;
}

function problemOf(cell: Cell, count: number, example: Array<string | null>): ValueProblem {
  const naming = rowNaming(cell.entry);
  return {
    entry: cell.entry.id,
    kind: isRelationshipEntry(cell.entry) ? 'relationship' : 'node',
    source: describeSource(cell.entry),
    column: cell.column,
    property: cell.property.name,
    path: cell.path,
    ...(cell.matchPath ? { matchPath: cell.matchPath } : {}),
    problem: cell.check.kind,
    reason: cell.check.reason,
    count,
    example: naming.format(example.slice(0, naming.parts.length)),
    exampleIs: naming.byRow ? 'row' : 'key',
    value: example[naming.parts.length] ?? '',
    rule: cell.property.as,
    policy: policyOf(cell.property),
    keep: cell.check.keep,
  };
}

/**
 * Finds the values the plan's rules and policies cannot hold, entry by entry (`entries` limits it). A source
 * whose query times out or cannot run is listed in `notProbed`; connection errors and cancellation throw.
 */
export async function probePlan(session: ProbeSession, plan: GraphPlan, options: ProbeOptions = {}): Promise<ProbeResult> {
  const started = Date.now();
  const timeoutMs = checkProbeTimeout(options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  const result: ProbeResult = { problems: [], notProbed: [], queries: 0, durationMs: 0 };
  for (const source of probeSources(plan, options.entries)) {
    if (options.signal?.aborted) throw new Pg2GraphError('READ_CANCELLED', 'the probe was cancelled');
    result.queries++;
    const rows = await boundedQuery<Record<string, unknown>>(session, probeQuery(source), timeoutMs, (timedOut, reason) =>
      result.notProbed.push({ source: source.description, entries: source.entries.map((e) => e.id), timedOut, reason }),
    );
    const row = rows?.[0];
    if (!row) continue;
    source.cells.forEach((cell, i) => {
      const count = Number(row[`c${i}`] ?? 0);
      if (count > 0) result.problems.push(problemOf(cell, count, (row[`e${i}`] as Array<string | null> | null) ?? []));
    });
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** Rows of one entry with a value its rules cannot hold: how many, and the first `limit` in key order with their columns. */
export interface ProblemRows {
  count: number;
  rows: Array<{ texts: Array<string | null>; example: string; columns: string[] }>;
  naming: RowNaming;
  /** Set when the query timed out or could not run (then count is 0 and rows empty). */
  notProbed?: NotProbed;
}

export async function problemRows(
  session: ProbeSession,
  plan: GraphPlan,
  entry: PlanEntry,
  options: { limit: number; timeoutMs?: number },
): Promise<ProblemRows> {
  const naming = rowNaming(entry);
  const cells = entryCells(plan, entry);
  const found: ProblemRows = { count: 0, rows: [], naming };
  if (!cells.length) return found;
  const timeoutMs = checkProbeTimeout(options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  const keys = naming.parts.map((part, i) => `${part} AS k${i}`);
  const flags = cells.map((cell, i) => `(${cell.condition}) AS p${i}`);
  const sql =
    `SELECT ${[...keys, ...flags, 'count(*) OVER () AS n'].join(', ')} FROM ${sourceFromSql(entry)} AS ${ALIAS} ` +
    `WHERE ${cells.map((c) => `(${c.condition})`).join(' OR ')} ORDER BY ${naming.parts.map((_, i) => i + 1).join(', ')} LIMIT ${Math.trunc(options.limit)}`;
  const rows = await boundedQuery<Record<string, unknown>>(session, sql, timeoutMs, (timedOut, reason) => {
    found.notProbed = { source: describeSource(entry), entries: [entry.id], timedOut, reason };
  });
  for (const row of rows ?? []) {
    found.count = Number(row.n);
    const texts = naming.parts.map((_, i) => row[`k${i}`] as string | null);
    const columns = [...new Set(cells.filter((_, i) => row[`p${i}`] === true).map((c) => c.column))];
    found.rows.push({ texts, example: naming.format(texts), columns });
  }
  return found;
}
