/** The options of verify(), checked up front: a bad setting is a typed error naming it, before anything is read. */
import { Pg2GraphError } from '../core/errors';
import { optionalIntegerSetting } from '../core/settings';
import type { GraphPlan } from '../plan/types';
import { assertValidPlan } from '../plan/validate';
import { checkAggregateSpecs } from './aggregates';
import type { AggregateSpec } from './report';

export const DEFAULT_VERIFY_BATCH_SIZE = 2000;
const MAX_VERIFY_BATCH_SIZE = 50_000;

export interface CheckedOptions {
  plan: GraphPlan;
  sample: number | undefined;
  batchSize: number;
  /** Entry ids to verify, in plan order (nodes first). */
  entries: Set<string>;
  /** Aggregates with the path they were given at (for messages). */
  aggregates: Array<{ spec: AggregateSpec; path: string }>;
}

function setting(name: string, message: string, value: unknown): Pg2GraphError {
  return new Pg2GraphError('VERIFY_OPTION_INVALID', `"${name}" ${message}, got ${JSON.stringify(value) ?? String(value)}`, { setting: name, value });
}

function positiveInteger(name: string, value: unknown, max: number): number | undefined {
  return optionalIntegerSetting(value, { code: 'VERIFY_OPTION_INVALID', setting: name, min: 1, max });
}

export function checkVerifyOptions(options: { plan: unknown; sample?: unknown; batchSize?: unknown; entries?: unknown; aggregates?: unknown }): CheckedOptions {
  if (!options || typeof options !== 'object') throw new Pg2GraphError('VERIFY_OPTION_INVALID', 'verify needs options with a plan');
  const plan = assertValidPlan(options.plan);
  const sample = positiveInteger('sample', options.sample, Number.MAX_SAFE_INTEGER);
  const batchSize = positiveInteger('batchSize', options.batchSize, MAX_VERIFY_BATCH_SIZE) ?? DEFAULT_VERIFY_BATCH_SIZE;
  const ids = [...plan.nodes.map((n) => n.id), ...plan.relationships.map((r) => r.id)];
  let entries = new Set(ids);
  if (options.entries !== undefined && options.entries !== null) {
    if (!Array.isArray(options.entries) || !options.entries.every((e) => typeof e === 'string'))
      throw setting('entries', 'must be a list of entry ids', options.entries);
    const unknown = options.entries.filter((e) => !ids.includes(e));
    if (unknown.length) {
      throw new Pg2GraphError(
        'VERIFY_OPTION_INVALID',
        `"entries": ${unknown.map((e) => `"${e}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the plan`,
        { setting: 'entries', unknown },
      );
    }
    entries = new Set(options.entries);
  }
  const fromPlan = checkAggregateSpecs(plan.verify?.aggregates, 'verify.aggregates', plan).map((spec, i) => ({ spec, path: `verify.aggregates[${i}]` }));
  const given = checkAggregateSpecs(options.aggregates, 'aggregates', plan).map((spec, i) => ({ spec, path: `aggregates[${i}]` }));
  const aggregates = [...fromPlan, ...given].filter((a) => entries.has(a.spec.entry));
  return { plan, sample, batchSize, entries, aggregates };
}
