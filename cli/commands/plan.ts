import { parseArgs } from 'util';
import { PostgresConnection } from '../../engine/connect';
import { introspectDatabase } from '../../engine/schema';
import { buildPlan, explainPlan, planWarnings, parsePlanText, assertValidPlan, validatePlan } from '../../engine/plan';
import { CONNECTION_OPTIONS, postgresSettings } from '../connections';
import type { CliIo } from '../io';
import { planSchemas, readPlanFile } from '../plan-file';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  schema: { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  explain: { type: 'boolean' },
  check: { type: 'string' },
} as const;

/**
 * pg2graph plan: introspects the database and prints the generated plan (JSON, or a summary with --explain);
 * with --check FILE, validates a plan file against itself and the live schema instead (exit 1 when invalid).
 */
export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const connection = new PostgresConnection(postgresSettings(values));
  try {
    if (values.check !== undefined) {
      const file = values.check;
      const plan = parsePlanText(readPlanFile(file), file);
      const model = await introspectDatabase(connection, { schemas: values.schema ?? planSchemas(plan) ?? ['public'] });
      const { ok, problems } = validatePlan(plan, model);
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
    const { plan } = buildPlan(model, { include: values.include, exclude: values.exclude });
    assertValidPlan(plan, model);
    if (values.explain) {
      io.out(explainPlan(plan));
    } else {
      io.out(JSON.stringify(plan, null, 2));
      const warnings = planWarnings(plan).length;
      if (warnings) io.err(`${warnings} warning${warnings === 1 ? '' : 's'} (in the plan's "warnings" fields; --explain lists them)`);
    }
    return 0;
  } finally {
    await connection.close();
  }
}
