import { parseArgs } from 'util';
import { PostgresConnection, isGremlinConnection } from '../../engine/connect';
import { isPg2GraphError, messageOf } from '../../engine/core';
import { CONNECTION_OPTIONS, closeConnections, graphConnection, postgresSettings } from '../connections';
import type { CliIo } from '../io';

/** The code and message of a failed check (a typed error from the connection, or anything thrown). */
function failure(reason: unknown): { code: string; message: string } {
  return isPg2GraphError(reason) ? { code: reason.code, message: reason.message } : { code: 'INTERNAL', message: messageOf(reason) };
}

/** pg2graph check: proves both connections work and prints the server versions (a Gremlin server: its URL and traversal source). */
export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...CONNECTION_OPTIONS, json: { type: 'boolean' } }, strict: true });
  const source = new PostgresConnection(postgresSettings(values));
  const target = graphConnection(values);
  const graphName = isGremlinConnection(target) ? 'gremlin' : 'neo4j';
  try {
    const [pg, neo] = await Promise.allSettled([source.check(), target.check()]);
    const graph =
      neo.status === 'fulfilled'
        ? { ok: true, target: target.target, version: 'agent' in neo.value ? neo.value.agent : `traversal source ${neo.value.traversalSource}` }
        : { ok: false, target: target.target, ...failure(neo.reason) };
    const result = {
      ok: pg.status === 'fulfilled' && neo.status === 'fulfilled',
      postgres:
        pg.status === 'fulfilled'
          ? { ok: true, target: source.target, version: pg.value.version }
          : { ok: false, target: source.target, ...failure(pg.reason) },
      [graphName]: graph,
    };
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      for (const [name, r] of Object.entries({ postgres: result.postgres, [graphName]: graph })) {
        io.out(
          r.ok
            ? `${name}: ok  ${r.target}  ${'version' in r ? r.version : ''}`
            : `${name}: FAILED  ${r.target}  ${'code' in r ? `${r.code}: ${r.message}` : ''}`,
        );
      }
    }
    return result.ok ? 0 : 1;
  } finally {
    await closeConnections(source, target);
  }
}
