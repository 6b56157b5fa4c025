import { parseArgs } from 'util';
import { PostgresConnection } from '../../engine/connect';
import { introspectDatabase } from '../../engine/schema';
import { buildPlan, explainPlan, planWarnings, parsePlanText, assertValidPlan, validatePlan } from '../../engine/plan';
import { applyProbe, notProbedWarning, problemLine } from '../../engine/probe';
import { probeDatabase } from '../../engine/read';
import { probeTimeoutFlag } from '../flags';
import { CONNECTION_OPTIONS, closeConnections, postgresSettings } from '../connections';
import type { CliIo } from '../io';
import { planSchemas, readPlanFile } from '../plan-file';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  schema: { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  explain: { type: 'boolean' },
  check: { type: 'string' },
  'no-probe': { type: 'boolean' },
  'probe-timeout-ms': { type: 'string' },
} as const;

/**
 * pg2graph plan: introspects the database, probes the data for values the default rules cannot hold (unless
 * --no-probe: README, Value rules) and prints the generated plan (JSON, or a summary with --explain); with
 * --check FILE, validates a plan file against itself, the live schema and the data instead (exit 1 when not).
 */
export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const timeoutMs = probeTimeoutFlag(values['probe-timeout-ms']);
  const probe = !values['no-probe'];
  const connection = new PostgresConnection(postgresSettings(values));
  try {
    if (values.check !== undefined) {
      const file = values.check;
      const plan = parsePlanText(readPlanFile(file), file);
      const model = await introspectDatabase(connection, { schemas: values.schema ?? planSchemas(plan) ?? ['public'] });
      const { ok, problems } = validatePlan(plan, model);
      if (ok && probe) {
        const probed = await probeDatabase(connection, assertValidPlan(plan, model), { timeoutMs });
        for (const skipped of probed.notProbed) io.err(`warning: ${notProbedWarning(skipped)}`);
        if (probed.problems.length) {
          const n = probed.problems.length;
          io.out(`${file}: the data holds values the plan's rules cannot hold (${n === 1 ? '1 problem' : `${n} problems`}; a run would refuse to start)`);
          for (const problem of probed.problems) io.out(`  ${problemLine(problem)}`);
          return 1;
        }
      }
      if (ok) {
        const p = plan as { nodes: unknown[]; relationships: unknown[] };
        io.out(`${file}: valid (${p.nodes.length} node entries, ${p.relationships.length} relationship entries)`);
        return 0;
      }
      io.out(`${file}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}`);
      for (const problem of problems) io.out(`  ${problem.path}: ${problem.message}`);
      return 1;
    }
    const model = await introspectDatabase(connection, { schemas: values.schema ?? ['public'] });
    const built = buildPlan(model, { include: values.include, exclude: values.exclude }).plan;
    let plan = assertValidPlan(built, model);
    if (probe) {
      // the generator stays pure: what the data holds is applied to its result
      const probed = applyProbe(plan, await probeDatabase(connection, plan, { timeoutMs }));
      plan = assertValidPlan(probed.plan, model);
      for (const change of probed.changes) {
        io.err(`probe: entry "${change.entry}", column "${change.column}": values its rule cannot hold, kept with ${JSON.stringify(change.keep)}`);
      }
    }
    if (values.explain) {
      io.out(explainPlan(plan));
    } else {
      io.out(JSON.stringify(plan, null, 2));
      const warnings = planWarnings(plan).length;
      if (warnings) io.err(`${warnings} warning${warnings === 1 ? '' : 's'} (in the plan's "warnings" fields; --explain lists them)`);
    }
    return 0;
  } finally {
    await closeConnections(connection);
  }
}
