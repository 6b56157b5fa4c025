/**
 * pg2graph translate: an application's SQL into Cypher along the plan that migrated its data (README.md, From
 * SQL to Cypher); with --check, the proof: the SQL on Postgres and the Cypher on the graph, their rows compared;
 * --suite runs a file of queries (translate-suite.ts); --indexes and --explain ask the graph about the Cypher.
 */
import fs from 'fs';
import { parseArgs } from 'util';
import { Neo4jConnection, PostgresConnection, isGremlinConnection } from '../../engine/connect';
import { Pg2GraphError, isPg2GraphError, messageOf } from '../../engine/core';
import { assertValidPlan, parsePlanText } from '../../engine/plan';
import {
  checkParity,
  createIndexStatement,
  explainCypher,
  indexedProperties,
  translateSql,
  unindexed,
  type IndexedProperty,
  type PlanOperator,
  type Translation,
} from '../../engine/translate';
import { CONNECTION_OPTIONS, closeConnections, graphConnection, postgresSettings } from '../connections';
import type { CliIo } from '../io';
import { readPlanFile } from '../plan-file';
import { runSuiteCommand } from './translate-suite';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  plan: { type: 'string' },
  sql: { type: 'string' },
  params: { type: 'string' },
  json: { type: 'boolean' },
  check: { type: 'boolean' },
  suite: { type: 'string' },
  indexes: { type: 'boolean' },
  explain: { type: 'boolean' },
} as const;

/**
 * Exit codes of translate: 0 translated (and, with --check, equal), 1 --check found a difference, 2 bad input (or
 * a side of --check could not run), 3 refused (TRANSLATE_UNSUPPORTED). With --suite: 0 nothing differs (refusals
 * are fine), 1 a query differs, 2 the suite file is bad, or a query is bad input or could not be checked.
 */
export const TRANSLATE_EXIT = { ok: 0, different: 1, badInput: 2, refused: 3 } as const;

function usage(message: string, flag: string): Pg2GraphError {
  return new Pg2GraphError('CLI_FLAG_INVALID', message, { flag });
}

/** --sql TEXT, --sql FILE (an existing file) or --sql - (standard input). */
function sqlText(value: string | undefined, readStdin: () => string): string {
  if (value === undefined) throw usage('--sql is required: the SQL text, a file holding it, or - for standard input', 'sql');
  if (value === '-') return readStdin();
  if (fs.existsSync(value) && fs.statSync(value).isFile()) return fs.readFileSync(value, 'utf8');
  return value;
}

/** --params '[1, "x"]': the values of $1, $2, ... as a JSON array. */
function paramsOf(value: string | undefined): unknown[] {
  if (value === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw usage(`--params must be a JSON array (the values of $1, $2, ...): ${messageOf(error)}`, 'params');
  }
  if (!Array.isArray(parsed)) throw usage('--params must be a JSON array (the values of $1, $2, ...)', 'params');
  return parsed;
}

interface GraphAdvice {
  missingIndexes?: IndexedProperty[];
  explain?: PlanOperator[];
}

function printTranslation(translation: Translation, advice: GraphAdvice, json: boolean, io: CliIo): void {
  const createIndexes = advice.missingIndexes?.map(createIndexStatement);
  if (json) {
    const { cypher, parameters, columns, notes } = translation;
    io.out(JSON.stringify({ cypher, parameters, columns, notes, ...advice, ...(createIndexes ? { createIndexes } : {}) }, null, 2));
    return;
  }
  io.out(translation.cypher);
  for (const note of translation.notes) io.err(`note: ${note.code}: ${note.message}${note.position ? ` (at character ${note.position})` : ''}`);
  if (createIndexes) {
    io.err(
      createIndexes.length
        ? `indexes: ${createIndexes.length} filtered propert${createIndexes.length === 1 ? 'y has' : 'ies have'} no index`
        : 'indexes: every filtered property has an index',
    );
    if (createIndexes.length) io.out(['', ...createIndexes.map((statement) => `${statement};`)].join('\n'));
  }
  for (const op of advice.explain ?? []) io.err(`explain: ${'  '.repeat(op.depth)}${op.operator}${op.details ? ` ${op.details}` : ''}`);
}

/** The Bolt connection --check, --indexes and --explain ask; a Gremlin server cannot answer Cypher. */
function boltConnection(values: Record<string, unknown>): Neo4jConnection {
  const graph = graphConnection(values);
  if (isGremlinConnection(graph)) {
    void graph.close();
    throw usage('--check, --indexes and --explain run Cypher on Neo4j over Bolt: a Gremlin server cannot answer it', 'gremlin');
  }
  return graph;
}

async function graphAdvice(values: Record<string, unknown>, translation: Translation): Promise<GraphAdvice> {
  if (!values.indexes && !values.explain) return {};
  const graph = boltConnection(values);
  try {
    return {
      ...(values.indexes ? { missingIndexes: unindexed(translation.filters, await indexedProperties(graph)) } : {}),
      ...(values.explain ? { explain: await explainCypher(graph, translation.cypher, translation.parameters) } : {}),
    };
  } finally {
    await closeConnections(graph);
  }
}

async function check(values: Record<string, unknown>, sql: string, params: unknown[], translation: Translation, io: CliIo): Promise<number> {
  const graph = boltConnection(values);
  const source = new PostgresConnection(postgresSettings(values));
  try {
    const result = await checkParity(source, graph, sql, params, translation);
    if (result.equal) {
      io.err(`check: equal (${result.sourceRows} rows on both sides${translation.ordered ? ', in the same order' : ''})`);
      return TRANSLATE_EXIT.ok;
    }
    io.err(`check: DIFFERENT (Postgres ${result.sourceRows} rows, graph ${result.graphRows})`);
    for (const difference of result.differences) io.err(`  ${difference.message}`);
    return TRANSLATE_EXIT.different;
  } finally {
    await closeConnections(source, graph);
  }
}

async function suite(values: Record<string, unknown>, plan: Parameters<typeof runSuiteCommand>[1], io: CliIo): Promise<number> {
  for (const flag of ['sql', 'params', 'explain'] as const)
    if (values[flag] !== undefined) throw usage(`--${flag} does not go with --suite (the suite file holds each query and its parameters)`, flag);
  const graph = values.check || values.indexes ? boltConnection(values) : undefined;
  const source = values.check ? new PostgresConnection(postgresSettings(values)) : undefined;
  try {
    const report = await runSuiteCommand(
      values.suite as string,
      plan,
      { json: values.json === true, check: source && graph ? { source, graph } : undefined, indexes: values.indexes ? graph : undefined },
      io,
    );
    const { different, invalid, failed } = report.totals;
    return different ? TRANSLATE_EXIT.different : invalid || failed ? TRANSLATE_EXIT.badInput : TRANSLATE_EXIT.ok;
  } finally {
    await closeConnections(...[source, graph].filter((c): c is NonNullable<typeof c> => c !== undefined));
  }
}

async function run(argv: string[], io: CliIo, readStdin: () => string): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values.plan) throw usage('--plan FILE is required (the plan that migrated the data)', 'plan');
  const plan = assertValidPlan(parsePlanText(readPlanFile(values.plan), values.plan));
  if (values.suite !== undefined) return suite(values, plan, io);
  const sql = sqlText(values.sql, readStdin);
  const params = paramsOf(values.params);
  const translation = await translateSql(sql, plan, { params });
  printTranslation(translation, await graphAdvice(values, translation), values.json === true, io);
  return values.check ? check(values, sql, params, translation, io) : TRANSLATE_EXIT.ok;
}

export async function translateCommand(argv: string[], io: CliIo, readStdin: () => string = () => fs.readFileSync(0, 'utf8')): Promise<number> {
  try {
    return await run(argv, io, readStdin);
  } catch (error) {
    io.err(isPg2GraphError(error) ? `pg2graph translate: ${error.code}: ${error.message}` : `pg2graph translate: ${messageOf(error)}`);
    // anything else (bad input, a side of --check that could not run) is 2, as verify's "could not verify"
    return isPg2GraphError(error) && error.code === 'TRANSLATE_UNSUPPORTED' ? TRANSLATE_EXIT.refused : TRANSLATE_EXIT.badInput;
  }
}
