import { parseArgs } from 'util';
import { PostgresConnection, Neo4jConnection } from '../../engine/connect';
import { isPg2GraphError, messageOf } from '../../engine/core';
import { CONNECTION_OPTIONS, closeConnections, neo4jSettings, postgresSettings } from '../connections';
import type { CliIo } from '../io';

/** The code and message of a failed check (a typed error from the connection, or anything thrown). */
function failure(reason: unknown): { code: string; message: string } {
  return isPg2GraphError(reason) ? { code: reason.code, message: reason.message } : { code: 'INTERNAL', message: messageOf(reason) };
}

/** pg2graph check: proves both connections work and prints the server versions. */
export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...CONNECTION_OPTIONS, json: { type: 'boolean' } }, strict: true });
  const source = new PostgresConnection(postgresSettings(values));
  const target = new Neo4jConnection(neo4jSettings(values));
  try {
    const [pg, neo] = await Promise.allSettled([source.check(), target.check()]);
    const result = {
      ok: pg.status === 'fulfilled' && neo.status === 'fulfilled',
      postgres:
        pg.status === 'fulfilled'
          ? { ok: true, target: source.target, version: pg.value.version }
          : { ok: false, target: source.target, ...failure(pg.reason) },
      neo4j:
        neo.status === 'fulfilled'
          ? { ok: true, target: target.target, version: neo.value.agent }
          : { ok: false, target: target.target, ...failure(neo.reason) },
    };
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      for (const [name, r] of Object.entries({ postgres: result.postgres, neo4j: result.neo4j })) {
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
