/**
 * User-chosen aggregates (sum, min, max, count of a column), computed by Postgres over the entry's source
 * records and by Cypher over the property mapped from that column, compared exactly: integers as integers,
 * exact decimals (numeric kept as text) scaled to integers of the column's scale on both sides, other values
 * through the column's value rule. Never through floats; a sum of floats cannot be compared exactly and is refused.
 */
import { CypherGraphSide } from './cypher-side';
import neo4j from 'neo4j-driver';
import { Pg2GraphError } from '../core/errors';
import type { GraphPlan, PropertyMapping } from '../plan/types';
import type { PlanEntry } from '../plan/entry-columns';
import { compileValue } from '../values/convert';
import { readTypeLabel } from '../values/type-label';
import { quoteName } from '../cypher/names';
import { kindOf } from '../values/graph-kind';
import { describeGraphValue } from '../values/graph-text';
import { sameGraphValue } from './compare';
import type { VerifyContext } from './context';
import { aggregateSource } from './cypher';
import type { CheckedEntry } from './node-entry';
import type { AggregateSpec, CheckResult, Example } from './report';
import { checkResult } from './tally';

export type AggregateResult = CheckResult & { spec: AggregateSpec };

const FUNCTIONS = ['sum', 'min', 'max', 'count'] as const;

/** Cypher type predicates of the rules whose values have an order both sides agree on. */
const CYPHER_TYPES: Record<string, string> = {
  integer: 'INTEGER',
  float: 'FLOAT',
  string: 'STRING',
  date: 'DATE',
  localDateTime: 'LOCAL DATETIME',
  dateTime: 'ZONED DATETIME',
  localTime: 'LOCAL TIME',
  time: 'ZONED TIME',
};

function invalid(path: string, message: string, details: Record<string, unknown> = {}): Pg2GraphError {
  return new Pg2GraphError('VERIFY_AGGREGATE_INVALID', `${path}: ${message}`, { path, ...details });
}

/** Checks a list of aggregate specs (from the options or the plan's `verify.aggregates`), naming the path of a bad one. */
export function checkAggregateSpecs(value: unknown, path: string, plan: GraphPlan): AggregateSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, 'must be a list of { entry, column, function }');
  return value.map((spec: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw invalid(at, 'must be an object { entry, column, function }');
    const { entry, column, function: fn } = spec as Record<string, unknown>;
    if (typeof fn !== 'string' || !(FUNCTIONS as readonly string[]).includes(fn))
      throw invalid(`${at}.function`, `must be one of ${FUNCTIONS.join(', ')}, got ${JSON.stringify(fn)}`);
    if (typeof entry !== 'string' || !entry) throw invalid(`${at}.entry`, 'must name a plan entry');
    const planEntry: PlanEntry | undefined = plan.nodes.find((n) => n.id === entry) ?? plan.relationships.find((r) => r.id === entry);
    if (!planEntry) throw invalid(`${at}.entry`, `there is no entry "${entry}" in the plan`, { entry });
    if (typeof column !== 'string' || !column) throw invalid(`${at}.column`, 'must name a source column');
    const property = planEntry.properties.find((p) => p.column === column);
    if (!property) {
      throw invalid(
        `${at}.column`,
        `entry "${entry}" maps no property from column "${column}"; it maps ${planEntry.properties.map((p) => p.column).join(', ') || 'none'}`,
        { entry, column },
      );
    }
    const checked = { entry, column, function: fn as AggregateSpec['function'] };
    // refused before anything is read: an aggregate that cannot be compared exactly
    modeOf(checked, property, at);
    return checked;
  });
}

type Mode = 'count' | 'integer' | 'decimal' | 'value';

function modeOf(spec: AggregateSpec, property: PropertyMapping, path: string): Mode {
  if (spec.function === 'count') return 'count';
  const type = readTypeLabel(property.pgType).name;
  if (property.as === 'integer') return 'integer';
  if (property.as === 'string' && (type === 'numeric' || type === 'decimal')) return 'decimal';
  if (spec.function === 'sum') {
    throw invalid(
      path,
      `sum(${spec.column}) needs an integer property or an exact decimal (numeric kept as "string"); "${property.name}" is "${property.as}"` +
        (property.as === 'float' ? ': a sum of floats depends on the order of addition and cannot be compared exactly (use min, max or count)' : ''),
    );
  }
  if (!CYPHER_TYPES[property.as]) throw invalid(path, `${spec.function}(${spec.column}): values of rule "${property.as}" have no order to compare`);
  return 'value';
}

/** The scale numeric values are compared at: the column's typmod, else the largest scale in the data. */
async function decimalScale(checked: CheckedEntry, property: PropertyMapping, column: string): Promise<number> {
  const typmod = /\(\s*\d+\s*(?:,\s*(\d+)\s*)?\)\s*$/.exec(property.pgType);
  if (typmod) return Number(typmod[1] ?? 0);
  return Number(await checked.source.aggregate(`coalesce(max(pg_catalog.scale(${column})), 0)`));
}

function scaledText(value: unknown, scale: number): string {
  const digits = BigInt(String(value));
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const text = scale ? `${abs.slice(0, -scale)}.${abs.slice(-scale)}` : abs;
  return `${negative ? '-' : ''}${text}`;
}

interface GraphSide {
  value: unknown;
  off: Array<[unknown[], unknown]>;
  offCount: number;
}

async function graphSide(
  context: VerifyContext,
  checked: CheckedEntry,
  property: string,
  expression: string,
  fits: string,
  params: Record<string, unknown>,
): Promise<GraphSide> {
  const { match, record, identity } = aggregateSource(checked.target);
  const text = [
    match,
    `WITH ${record}.${quoteName(property)} AS v, ${identity} AS id WHERE v IS NOT NULL`,
    `WITH v, id, ${fits} AS fits`,
    `RETURN ${expression} AS value, sum(CASE WHEN fits THEN 0 ELSE 1 END) AS offCount, collect(CASE WHEN fits THEN null ELSE [id, v] END)[0..5] AS off`,
  ].join('\n');
  if (!(context.graph instanceof CypherGraphSide)) {
    throw new Pg2GraphError(
      'VERIFY_AGGREGATE_INVALID',
      `aggregate over "${property}" of entry "${checked.report.entry}": aggregates are computed in Cypher, so they are checked on Neo4j only, not over Gremlin; leave them out for a Gremlin target`,
      { entry: checked.report.entry, property },
    );
  }
  const [row] = await context.graph.reader.records(text, params);
  return { value: row.get('value'), off: row.get('off') as Array<[unknown[], unknown]>, offCount: Number(row.get('offCount')) };
}

/** Cypher turning exact decimal text into an integer of `$scale` decimals (CASE keeps string functions off other kinds). */
const DECIMAL_FITS = `CASE WHEN v IS :: STRING AND v =~ '-?[0-9]+(\\\\.[0-9]+)?' THEN size(split(replace(v, '-', ''), '.')[0]) + $scale <= 18 AND size(coalesce(split(v, '.')[1], '')) <= $scale ELSE false END`;
const DECIMAL_SCALED =
  "CASE WHEN fits THEN (CASE WHEN v STARTS WITH '-' THEN -1 ELSE 1 END) * (" +
  "toInteger(split(replace(v, '-', ''), '.')[0]) * $factor" +
  " + CASE WHEN $scale = 0 THEN 0 ELSE toInteger(left(coalesce(split(v, '.')[1], '') + $zeros, $scale)) END) END";

export async function runAggregate(
  context: VerifyContext,
  checked: CheckedEntry,
  entry: PlanEntry,
  spec: AggregateSpec,
  path: string,
): Promise<AggregateResult> {
  const property = entry.properties.find((p) => p.column === spec.column) as PropertyMapping;
  const mode = modeOf(spec, property, path);
  const column = checked.source.column(spec.column);
  const fn = spec.function;
  let expected: string | null;
  let side: GraphSide;
  let ok: boolean;
  let found: string;
  let wants = '';
  let note: string | undefined;
  if (mode === 'count') {
    expected = await checked.source.aggregate(`count(${column})`);
    side = await graphSide(context, checked, property.name, 'count(v)', 'true', {});
    found = String(side.value);
    ok = found === expected;
  } else if (mode === 'integer') {
    expected = await checked.source.aggregate(`round((${fn === 'sum' ? `coalesce(sum(${column}), 0)` : `${fn}(${column})`})::numeric, 0)`);
    side = await graphSide(context, checked, property.name, `${fn}(CASE WHEN fits THEN v END)`, 'v IS :: INTEGER', {});
    found = kindOf(side.value) === 'Integer' ? String(side.value) : describeGraphValue(side.value);
    ok = kindOf(side.value) === (expected === null ? 'Absent' : 'Integer') && (expected === null || found === expected);
    if (kindOf(side.value) === 'Float') note = "the graph's sum left the 64-bit integer range and became a Float";
    wants = 'an Integer';
  } else if (mode === 'decimal') {
    const scale = await decimalScale(checked, property, column);
    expected = await checked.source.aggregate(`round(${fn === 'sum' ? `coalesce(sum(${column}), 0)` : `${fn}(${column})`}, ${scale})`);
    const params = { scale: neo4j.int(scale), factor: neo4j.int(10n ** BigInt(scale)), zeros: '0'.repeat(scale) };
    side = await graphSide(context, checked, property.name, `${fn}(${DECIMAL_SCALED})`, DECIMAL_FITS, params);
    const kind = kindOf(side.value);
    found = kind === 'Integer' ? scaledText(side.value, scale) : describeGraphValue(side.value);
    ok = expected === null ? kind === 'Absent' : kind === 'Integer' && found === expected;
    if (kind === 'Float') note = "the graph's sum left the 64-bit integer range and became a Float";
    wants = `exact decimal text (at most ${scale} decimals)`;
  } else {
    const type = readTypeLabel(property.pgType).name;
    const input = property.as !== 'string' ? column : ['bpchar', 'char', 'character'].includes(type) ? `${column} COLLATE "C"` : `${column}::text COLLATE "C"`;
    const text = await checked.source.aggregate(`${fn}(${input})`);
    const value = text === null ? null : compileValue(property, { entry: entry.id, column: spec.column })(text);
    expected = text === null ? null : describeGraphValue(value);
    side = await graphSide(context, checked, property.name, `${fn}(CASE WHEN fits THEN v END)`, `v IS :: ${CYPHER_TYPES[property.as]}`, {});
    found = describeGraphValue(side.value);
    ok = sameGraphValue(value, side.value);
    wants = `a value of rule "${property.as}"`;
    if (property.as === 'string') note = 'strings are ordered by code point on both sides';
  }
  const examples: Example[] = side.off.map(([id, value]) => ({
    ...checked.identityExample(id),
    property: property.name,
    expected: wants,
    found: describeGraphValue(value),
  }));
  if (side.offCount) {
    ok = false;
    const values = side.offCount === 1 ? '1 graph value is' : `${side.offCount} graph values are`;
    note = [`${values} not ${wants} and left out`, note].filter(Boolean).join('; ');
  } else if (ok) note = undefined;
  return { ...checkResult('aggregate', ok, expected ?? 'absent', found, examples, note), spec };
}
