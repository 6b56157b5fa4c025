/**
 * graph verify: msg.plan (the completion message of pg read carries it) -> the engine compares source and
 * graph -> msg.payload = the report, msg.summary = its readable text. A failing check is a result (red status,
 * the report says what differs), not an error; a verification that cannot run goes to done(err).
 */
import { Pg2GraphError } from '../engine/core';
import type { GraphPlan } from '../engine/plan';
import type { AggregateSpec } from '../engine/verify';
import { formatReport, verify } from '../engine/verify';
import type { GraphConfigNode, PostgresConfigNode } from './lib/config-nodes';
import { onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeRedApi, RedNode } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { AbortOnClose } from './lib/abort-on-close';

const TYPE = 'pg2graph-verify';

interface VerifyDef extends NodeDef {
  postgres?: string;
  neo4j?: string;
  sample?: string | number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export = function register(RED: NodeRedApi): void {
  function GraphVerify(this: RedNode, def: VerifyDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new ThrottledStatus(node);
    const t = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);
    const work = new AbortOnClose(node, status);

    onInput(
      node,
      async (msg, send) => {
        const postgres = requireConfigNode<PostgresConfigNode>(
          (id) => RED.nodes.getNode(id),
          def.postgres,
          'pg2graph-postgres',
          'postgres',
          t('errors.noPostgres'),
        );
        const target = requireConfigNode<GraphConfigNode>((id) => RED.nodes.getNode(id), def.neo4j, 'pg2graph-neo4j', 'neo4j', t('errors.noNeo4j'));
        if (!isObject(msg.plan)) throw new Pg2GraphError('VERIFY_PLAN_MISSING', t('errors.noPlan'));
        const plan = msg.plan as unknown as GraphPlan;
        status.now({ fill: 'blue', shape: 'ring', text: t('status.starting') });
        await work.run(async (signal) => {
          const report = await verify(postgres.connection, target.connection, {
            plan,
            // the engine checks the setting and names it when it is not a positive integer
            sample: def.sample === undefined || def.sample === '' ? undefined : (def.sample as number),
            aggregates: msg.aggregates as AggregateSpec[] | undefined,
            entries: msg.entries as string[] | undefined,
            signal,
            onProgress: (p) => status.set({ fill: 'blue', shape: 'ring', text: t('status.verifying', { entry: p.entry, done: p.done, entries: p.entries }) }),
          });
          const seconds = (report.durationMs / 1000).toFixed(1);
          if (report.ok) {
            status.now({ fill: 'green', shape: 'dot', text: t('status.passed', { entries: report.entries.length }) });
            node.log(t('log.passed', { entries: report.entries.length, aggregates: report.aggregates.length, seconds }));
          } else {
            status.now({ fill: 'red', shape: 'dot', text: t('status.failed', { count: report.failed }) });
            const failing = report.entries.filter((e) => !e.ok).map((e) => e.entry);
            const aggregates = report.aggregates.filter((a) => !a.ok).map((a) => `${a.spec.function}(${a.spec.column}) of ${a.spec.entry}`);
            node.log(t('log.failed', { count: report.failed, list: [...failing, ...aggregates].join(', '), seconds }));
          }
          msg.payload = report;
          msg.summary = formatReport(report);
          send(msg);
        });
      },
      (error) => {
        status.clear();
        return { fill: 'red', shape: 'ring', text: t('status.error', { code: error.code }) };
      },
    );
  }

  RED.nodes.registerType(TYPE, GraphVerify);
};
