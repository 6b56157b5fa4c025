#!/usr/bin/env node
import { isPg2GraphError, messageOf } from '../engine/core';
import { checkCommand } from './commands/check';
import { planCommand } from './commands/plan';
import { migrateCommand } from './commands/migrate';
import { verifyCommand } from './commands/verify';
import { exportCommand } from './commands/export';
import { translateCommand } from './commands/translate';
import { processIo, type CliIo } from './io';
import { argvSecretWarning } from './argv-secrets';

const USAGE = `pg2graph - migrate a PostgreSQL database into a graph database

usage:
  pg2graph check [--json]          check both connections and print the server versions
  pg2graph plan [--schema NAME]... [--include PATTERN]... [--exclude PATTERN]... [--explain]
               [--no-probe] [--probe-timeout-ms N]
                                   print the graph plan for the database (JSON; --explain: a summary);
                                   the data is probed for values the default rules cannot hold, and
                                   their columns get a lossless policy (--no-probe: the defaults)
  pg2graph plan --check FILE [--no-probe]
                                   check a plan file against itself, the live schema and the data
                                   (values its rules cannot hold); exit 1 when invalid
  pg2graph migrate --plan FILE [--mode merge|create] [--batch-size N] [--concurrency N] [--fresh]
                 [--trust-checkpoints] [--rejects FILE] [--on-invalid reject|fail] [--no-preflight]
                 [--probe-timeout-ms N] [--batch-timeout-ms N] [--allow-missing-ends] [--json]
                                   migrate: constraints, nodes, relationships; resumes an unfinished run
                                   of the same plan unless --fresh, reading again (MERGE) every finished
                                   or half-read entry whose source changed since (--trust-checkpoints:
                                   no check, for a source known not to change); progress on stderr;
                                   refuses to start when the data holds values the plan's rules cannot
                                   hold (preflight); with --no-preflight such rows are rejected (appended
                                   to --rejects FILE as JSON lines), exit 3 when any was; exit 4 when
                                   relationship rows found no start or end node (--allow-missing-ends
                                   accepts them); after a completed run, counts source and graph per
                                   entry: exit 5 on a difference; a batch not committed within
                                   --batch-timeout-ms (default 60000) fails with WRITE_TIMEOUT and the
                                   next run resumes
  pg2graph verify --plan FILE [--sample N] [--entry ID]... [--json]
                                   compare source and graph (counts, keys, properties, the plan's
                                   aggregates); exit 0 passed, 1 a check failed, 2 could not verify
  pg2graph export --plan FILE --format FORMAT --out DIR [--gzip] [--overwrite] [--array-delimiter C]
                 [--batch-size N] [--trust-checkpoints] [--rejects FILE] [--on-invalid reject|fail]
                 [--no-preflight] [--probe-timeout-ms N] [--json]
                                   write the plan's data as files to import offline, FORMAT one of
                                   neo4j-admin, load-csv, neptune-opencypher, neptune-gremlin, arangodb,
                                   jsonl; DIR gets manifest.json and IMPORT.md (the commands to load the
                                   set); needs only Postgres (--pg); a stopped export continues after its
                                   last complete part when run again; a DIR holding anything else is
                                   refused (--overwrite replaces an earlier export)
  pg2graph translate --plan FILE --sql TEXT|FILE|- [--params JSON] [--json] [--check]
                                   translate a SELECT into Cypher along the plan (stdout; --json: cypher,
                                   parameters, columns, notes); --params: the values of $1, $2, ... as a JSON
                                   array; --check runs the SQL on Postgres and the Cypher on Neo4j and
                                   compares the rows; exit 0 translated (and equal), 1 --check found a
                                   difference, 2 bad input, 3 refused (TRANSLATE_UNSUPPORTED)
  pg2graph --version | --help

connections (every command):
  --pg URL                   Postgres URL (default: DATABASE_URL, else the PG* variables); leave the password
                             out (the process list shows arguments): it comes from PGPASSWORD, else the
                             password file (PGPASSFILE, else ~/.pgpass); a URL holding one gets a warning
  --neo4j-uri URI            Bolt URI (default: NEO4J_URI, else bolt://127.0.0.1:7687)
  --neo4j-user USER          (default: NEO4J_USER, else neo4j); the password comes from NEO4J_PASSWORD only
  --neo4j-database NAME      (default: NEO4J_DATABASE, else the server default)
  --dialect neo4j|memgraph|neptune
  --gremlin URL              write to and verify a Gremlin server instead (ws://host:8182/gremlin, wss://...;
                             default: GREMLIN_URL when NEO4J_URI is not set); login from GREMLIN_USER and
                             GREMLIN_PASSWORD (the password from the environment only)
  --traversal-source NAME    the Gremlin server's traversal source (default: GREMLIN_TRAVERSAL_SOURCE, else g)
  --target neo4j|gremlin     which graph, when both NEO4J_URI and GREMLIN_URL are set (default neo4j)
  a server that does not answer within 5 s is NEO4J_UNREACHABLE / GREMLIN_UNREACHABLE / PG_UNREACHABLE; after a failure every
  command closes its connections (waiting at most 5 s) and exits, even when a socket is still open
  TLS: PGSSLMODE (disable, require, verify-ca, verify-full) and PGSSLROOTCERT (CA file) as in libpq, for any
  Postgres source; for Neo4j the URI scheme (bolt+s, bolt+ssc, ...), NODE_EXTRA_CA_CERTS for a private CA
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  check: checkCommand,
  plan: planCommand,
  migrate: migrateCommand,
  verify: verifyCommand,
  export: exportCommand,
  translate: translateCommand,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    io.out((require('../../package.json') as { version: string }).version);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`pg2graph: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const warning = argvSecretWarning(rest);
  if (warning) io.err(warning);
  try {
    return await run(rest, io);
  } catch (error) {
    io.err(isPg2GraphError(error) ? `pg2graph ${command}: ${error.code}: ${error.message}` : `pg2graph ${command}: ${messageOf(error)}`);
    return 1;
  }
}

/** Longest wait for stdout and stderr to take the last lines before the process exits. */
const FLUSH_DEADLINE_MS = 2000;

/**
 * Exits with the code once stdout and stderr took what was written: the process ends even when a connection
 * to a stalled server is still open (the command closed its connections with a deadline before).
 */
function exitWith(code: number): void {
  process.exitCode = code;
  let waiting = 2;
  const flushed = () => {
    waiting -= 1;
    if (waiting === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
  setTimeout(() => process.exit(code), FLUSH_DEADLINE_MS).unref();
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(exitWith, (error: unknown) => {
    process.stderr.write(`pg2graph: ${messageOf(error)}\n`);
    exitWith(1);
  });
}
