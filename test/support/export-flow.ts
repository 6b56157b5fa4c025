/**
 * The export flow for node tests: the migration flow of test/support/migration-flow.ts with graph export in
 * graph write's place (pg read without a graph connection), its acknowledgements wired back into pg read and
 * to a helper ('acks'), its manifest output to a helper ('manifest').
 */
import { nodeModule } from './node-red';
import { withCatalog } from './catalog';
import { migrationFlow, type FlowOptions } from './migration-flow';
import type { ScratchDatabase } from './databases';

/** The flow's node modules, graph export's messages from its catalog (the test helper's RED._ gives the key alone). */
export const exportModules = [
  ...['pg2graph-postgres', 'pg2graph-read', 'pg2graph-to-node', 'pg2graph-to-edge'].map(nodeModule),
  withCatalog('pg2graph-export', nodeModule('pg2graph-export')),
];

type FlowNode = Record<string, unknown> & { id: string };

export function exportFlow(db: ScratchDatabase, exporter: Record<string, unknown>, options: FlowOptions = {}): FlowNode[] {
  const flow = (migrationFlow(db, options) as FlowNode[])
    .filter((n) => n.id !== 'neocfg' && n.id !== 'totals')
    .map((n) => {
      if (n.id === 'reader') return { ...n, neo4j: '' };
      if (n.id === 'writer')
        return { id: 'writer', type: 'pg2graph-export', z: 'tab', format: 'jsonl', ...exporter, wires: [['reader', 'acks'], ['manifest']] };
      return n;
    });
  return [...flow, { id: 'acks', type: 'helper', z: 'tab' }, { id: 'manifest', type: 'helper', z: 'tab' }];
}

export function exportCredentials(db: ScratchDatabase) {
  return { pgcfg: { user: db.settings.user as string, password: db.settings.password as string } };
}
