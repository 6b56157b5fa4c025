/**
 * The migration flow of example 1 for node tests: pg read -> row → node / fk → edge -> graph write, the
 * acknowledgements wired back into pg read, a Catch node, and helpers to run it and to look at its checkpoints.
 */
import type { Driver } from 'neo4j-driver';
import { helper, nextMessage, nodeModule } from './node-red';
import { neo4jSettings, type ScratchDatabase } from './databases';
import { checkpoints } from './graph-counts';
import { testGremlin } from './env';

export { checkpoints };

export const migrationModules = ['pg2graph-postgres', 'pg2graph-neo4j', 'pg2graph-read', 'pg2graph-to-node', 'pg2graph-to-edge', 'pg2graph-write'].map(
  nodeModule,
);

export interface Completion {
  topic: string;
  payload: {
    stopped: boolean;
    rows: number;
    missingEnds: number;
    entries: Record<string, { rows: number; rejected?: number; written?: { missingEnds: number } }>;
  };
  /** Set when relationship rows found no start or end node. */
  missingEnds?: { count: number; entries: Record<string, number> };
  resume?: Record<string, unknown>;
  resumeFrom?: Record<string, string>;
}

export interface Caught {
  error: { message: string; code?: string };
  plan?: unknown;
  resume?: Record<string, unknown>;
  resumeFrom?: Record<string, string>;
}

export interface FlowOptions {
  batchSize?: string;
  /** Nodes put between row → node / fk → edge and graph write (wired to 'writer'); their id is 'between'. */
  between?: Record<string, unknown>;
  /** Settings of row → node ('tonode'), e.g. rules that refine the plan's entries. */
  toNode?: Record<string, unknown>;
  /** The graph connection ('neocfg'): the test Neo4j over Bolt unless given (e.g. gremlinGraphConfig()). */
  graph?: Record<string, unknown>;
}

/** The graph connection node for the test Gremlin Server (protocol gremlin, no login). */
export function gremlinGraphConfig(): Record<string, unknown> {
  const { url, traversalSource } = testGremlin();
  return { protocol: 'gremlin', uri: url, traversalSource, tls: 'uri' };
}

export function migrationFlow(db: ScratchDatabase, options: FlowOptions = {}): object[] {
  const neo = neo4jSettings();
  const toWriter = options.between ? 'between' : 'writer';
  return [
    { id: 'tab', type: 'tab', label: 'migration' },
    {
      id: 'pgcfg',
      type: 'pg2graph-postgres',
      name: 'source',
      host: db.settings.host,
      port: db.settings.port,
      database: db.name,
      sslMode: 'disable',
      poolSize: '4',
      applicationName: 'pg2graph-flow',
    },
    { id: 'neocfg', type: 'pg2graph-neo4j', name: 'graph', ...(options.graph ?? { uri: neo.uri, database: '', dialect: 'neo4j', tls: 'uri' }) },
    {
      id: 'reader',
      type: 'pg2graph-read',
      z: 'tab',
      postgres: 'pgcfg',
      neo4j: 'neocfg',
      batchSize: options.batchSize ?? '',
      maxUnacknowledged: '4',
      wires: [['tonode'], ['toedge'], ['done']],
    },
    // output 2 of both shapers: the rows they reject
    { id: 'tonode', type: 'pg2graph-to-node', z: 'tab', ...options.toNode, wires: [[toWriter], ['rejected']] },
    { id: 'toedge', type: 'pg2graph-to-edge', z: 'tab', wires: [[toWriter], ['rejected']] },
    { id: 'rejected', type: 'helper', z: 'tab' },
    ...(options.between ? [{ id: 'between', z: 'tab', ...options.between }] : []),
    { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'neocfg', mode: 'merge', concurrency: 4, maxRetries: 5, wires: [['reader'], ['totals']] },
    { id: 'done', type: 'helper', z: 'tab' },
    { id: 'totals', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

export function migrationCredentials(db: ScratchDatabase) {
  return {
    pgcfg: { user: db.settings.user as string, password: db.settings.password as string },
    neocfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string },
  };
}

/** Sends a message (the plan, and whatever resumes it) into pg read and waits for its completion; a caught error rejects. */
export async function runMigrationFlow(msg: Record<string, unknown>, timeoutMs = 120_000): Promise<Completion> {
  const result = Promise.race([
    nextMessage<Completion>(helper.getNode('done'), timeoutMs),
    nextMessage<Caught>(helper.getNode('caught'), timeoutMs).then((m) => {
      throw new Error(`caught: ${m.error.message}`);
    }),
  ]);
  helper.getNode('reader').receive(msg);
  return result;
}

/** Polls until the checkpoints satisfy `ok` (a run in progress), or fails after the timeout. */
export async function waitForCheckpoints(driver: Driver, ok: (c: Awaited<ReturnType<typeof checkpoints>>) => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await checkpoints(driver);
    if (ok(seen)) return;
    if (Date.now() > deadline) throw new Error(`checkpoints never reached the expected state: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
