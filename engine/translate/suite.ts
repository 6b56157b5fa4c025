/**
 * A query suite (README.md, From SQL to Cypher: query suites): a JSON array of `{ "name"?, "sql", "params"?,
 * "expectEmpty"?, "approximate"? }`, every entry translated and, with a check, run on both sides (checkParity); a report per
 * entry and totals with the shares translated-with-parity, refused, and wrong (different, which must be 0).
 */
import type { Neo4jConnection } from '../connect/neo4j-connection';
import type { PostgresConnection } from '../connect/postgres-connection';
import { isPg2GraphError, messageOf } from '../core/errors';
import type { GraphPlan } from '../plan/types';
import { checkParity } from './check';
import { createIndexStatement, indexedProperties, unindexed, type IndexedProperty } from './indexes';
import { invalidInput } from './refuse';
import { translateSql } from './translate';
import type { TranslationNote } from './types';

export interface SuiteEntry {
  name?: string;
  sql: string;
  params?: unknown[];
  /** The query is meant to return no rows (else a translated, equal answer of no rows proves little). */
  expectEmpty?: boolean;
  /** Output columns compared to 12 significant digits (checkParity's approximate): a float noted as such (AVG_AS_FLOAT). */
  approximate?: string[];
}

/**
 * translated: no check ran; equal / different: the check's verdict; refused: TRANSLATE_UNSUPPORTED (construct
 * named); invalid: the SQL is bad input (TRANSLATE_INPUT_INVALID); failed: a side of the check could not run.
 */
export type SuiteStatus = 'translated' | 'equal' | 'different' | 'refused' | 'invalid' | 'failed';

export interface SuiteResult {
  index: number;
  name?: string;
  sql: string;
  status: SuiteStatus;
  cypher?: string;
  notes?: TranslationNote[];
  /** refused: the construct the translator names. */
  construct?: string;
  /** refused, invalid, failed: the error's code and message. */
  code?: string;
  message?: string;
  /** With the check: the rows on each side. */
  sourceRows?: number;
  graphRows?: number;
  /** different: the first differences, as compareResultSets words them. */
  differences?: string[];
  expectEmpty?: boolean;
  /** The columns compared approximately (the entry's approximate). */
  approximate?: string[];
  /** With index advice: the filtered properties no index covers, and the statements creating them. */
  missingIndexes?: IndexedProperty[];
  createIndexes?: string[];
}

export interface SuiteTotals {
  queries: number;
  translated: number;
  equal: number;
  different: number;
  refused: number;
  invalid: number;
  failed: number;
  /** Fractions of all queries (0..1): translated with parity (or translated, without a check), refused, wrong. */
  shares: { parity: number; refused: number; wrong: number };
}

export interface SuiteReport {
  results: SuiteResult[];
  totals: SuiteTotals;
  /** The kinds of refused constructs (constructKind) with how many queries each refused, most first. */
  refusedConstructs: Array<{ construct: string; count: number }>;
}

export interface SuiteOptions {
  /** Run each translation on both sides and compare. */
  check?: { source: PostgresConnection; graph: Neo4jConnection; timeoutMs?: number };
  /** Ask this graph which filtered properties have no index. */
  indexes?: Neo4jConnection;
  /** Differences named per different query (default 5). */
  maxExamples?: number;
}

const FIELDS = new Set(['name', 'sql', 'params', 'expectEmpty', 'approximate']);

function entryLabel(index: number, name: unknown): string {
  return typeof name === 'string' && name ? `entry ${index} ("${name}")` : `entry ${index}`;
}

/** The suite file's entries, or TRANSLATE_INPUT_INVALID naming the file, the entry (index and name) and the field. */
export function parseSuite(text: string, file: string): SuiteEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`Query suite ${file} is not JSON: ${messageOf(error)}`, { file });
  }
  if (!Array.isArray(parsed)) throw invalidInput(`Query suite ${file} must be a JSON array of { "name"?, "sql", "params"? } entries`, { file });
  return parsed.map((raw: unknown, index): SuiteEntry => {
    const fault = (field: string, what: string) =>
      invalidInput(`Query suite ${file}, ${entryLabel(index, (raw as { name?: unknown })?.name)}: ${what}`, { file, entry: index, field });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fault('entry', 'must be an object { "name"?, "sql", "params"? }');
    const entry = raw as Record<string, unknown>;
    const unknownField = Object.keys(entry).find((key) => !FIELDS.has(key));
    if (unknownField !== undefined) throw fault(unknownField, `has the unknown field "${unknownField}" (known: ${[...FIELDS].join(', ')})`);
    if (entry.name !== undefined && (typeof entry.name !== 'string' || !entry.name)) throw fault('name', 'field "name" must be a non-empty string');
    if (typeof entry.sql !== 'string' || !entry.sql.trim()) throw fault('sql', 'field "sql" must be a non-empty string');
    if (entry.params !== undefined && !Array.isArray(entry.params)) throw fault('params', 'field "params" must be an array (the values of $1, $2, ...)');
    if (entry.expectEmpty !== undefined && typeof entry.expectEmpty !== 'boolean') throw fault('expectEmpty', 'field "expectEmpty" must be true or false');
    if (entry.approximate !== undefined && (!Array.isArray(entry.approximate) || !entry.approximate.every((c) => typeof c === 'string' && c)))
      throw fault('approximate', 'field "approximate" must be an array of output column names');
    return {
      ...(entry.approximate !== undefined ? { approximate: entry.approximate as string[] } : {}),
      ...(entry.name !== undefined ? { name: entry.name } : {}),
      sql: entry.sql,
      ...(entry.params !== undefined ? { params: entry.params as unknown[] } : {}),
      ...(entry.expectEmpty !== undefined ? { expectEmpty: entry.expectEmpty } : {}),
    };
  });
}

async function runEntry(
  entry: SuiteEntry,
  index: number,
  plan: GraphPlan,
  options: SuiteOptions,
  indexed: IndexedProperty[] | undefined,
): Promise<SuiteResult> {
  const base: SuiteResult = {
    index,
    ...(entry.name ? { name: entry.name } : {}),
    sql: entry.sql,
    status: 'translated',
    ...(entry.expectEmpty ? { expectEmpty: true } : {}),
  };
  const params = entry.params ?? [];
  let translation;
  try {
    translation = await translateSql(entry.sql, plan, { params });
  } catch (error) {
    if (!isPg2GraphError(error)) throw error;
    const refused = error.code === 'TRANSLATE_UNSUPPORTED';
    return {
      ...base,
      status: refused ? 'refused' : 'invalid',
      ...(refused ? { construct: String(error.details.construct) } : {}),
      code: error.code,
      message: error.message,
    };
  }
  const result: SuiteResult = { ...base, cypher: translation.cypher, notes: translation.notes };
  if (indexed) {
    result.missingIndexes = unindexed(translation.filters, indexed);
    result.createIndexes = result.missingIndexes.map(createIndexStatement);
  }
  if (!options.check) return result;
  try {
    const parity = await checkParity(options.check.source, options.check.graph, entry.sql, params, translation, {
      timeoutMs: options.check.timeoutMs,
      maxExamples: options.maxExamples,
      approximate: entry.approximate,
    });
    return {
      ...result,
      status: parity.equal ? 'equal' : 'different',
      sourceRows: parity.sourceRows,
      graphRows: parity.graphRows,
      ...(parity.equal ? {} : { differences: parity.differences.map((d) => d.message) }),
    };
  } catch (error) {
    if (!isPg2GraphError(error)) throw error;
    return { ...result, status: 'failed', code: error.code, message: error.message };
  }
}

export function suiteTotals(results: readonly SuiteResult[]): SuiteTotals {
  const count = (...statuses: SuiteStatus[]) => results.filter((r) => statuses.includes(r.status)).length;
  const queries = results.length;
  const share = (n: number) => (queries ? n / queries : 0);
  const totals = {
    queries,
    translated: count('translated', 'equal', 'different', 'failed'),
    equal: count('equal'),
    different: count('different'),
    refused: count('refused'),
    invalid: count('invalid'),
    failed: count('failed'),
  };
  return { ...totals, shares: { parity: share(count('equal', 'translated')), refused: share(totals.refused), wrong: share(totals.different) } };
}

/**
 * The kind of a refused construct: the column it names replaced by its type ("comparing b.starttime (timestamp)"
 * and "comparing m.joindate (timestamp)" are both "comparing timestamp"), so the totals count kinds.
 */
export function constructKind(construct: string): string {
  return construct.replace(/[\w$]+\.[\w$]+ \(((?:[^()]|\([^()]*\))*)\)/g, '$1');
}

function refusedConstructs(results: readonly SuiteResult[]): SuiteReport['refusedConstructs'] {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r.status !== 'refused') continue;
    const kind = constructKind(r.construct!);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([construct, count]) => ({ construct, count })).sort((a, b) => b.count - a.count || a.construct.localeCompare(b.construct));
}

/** Runs the suite one entry after another (a suite is a proof, not a load test). */
export async function runSuite(entries: readonly SuiteEntry[], plan: GraphPlan, options: SuiteOptions = {}): Promise<SuiteReport> {
  const indexed = options.indexes ? await indexedProperties(options.indexes) : undefined;
  const results: SuiteResult[] = [];
  for (const [index, entry] of entries.entries()) results.push(await runEntry(entry, index, plan, options, indexed));
  return { results, totals: suiteTotals(results), refusedConstructs: refusedConstructs(results) };
}
