/** A real Node-RED runtime with the pack installed, for the example-flow tests: start it, deploy flows, watch it. */
import fs from 'fs';
import path from 'path';

export interface Runtime {
  url: string;
  userDir: string;
  pid: number | undefined;
  stop(): Promise<void>;
  output(): string;
}
export interface Debug {
  id: string;
  msg: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { startNodeRed } = require('../../scripts/lib/node-red-runtime') as { startNodeRed(o: Record<string, unknown>): Promise<Runtime> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const comms = require('../../scripts/lib/runtime-comms') as {
  watchRuntime(url: string, h: { onDebug?: (d: Debug) => void; onStatus?: (id: string, s: { text?: string }) => void }): Promise<{ close(): void }>;
  deployFlow(url: string, flow: unknown[], type?: 'full' | 'nodes' | 'flows'): Promise<void>;
  clickInject(url: string, id: string): Promise<void>;
};

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
export type FlowNode = { id: string; type: string; name?: string; credentials?: Record<string, string> };

/** An example flow as a user imports it, with the Neo4j credentials taken from the environment. */
export function example(name: string): FlowNode[] {
  const flow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as FlowNode[];
  for (const node of flow) if (node.type === 'pg2graph-neo4j') node.credentials = { user: '${NEO4J_USER}', password: '${NEO4J_PASSWORD}' };
  return flow;
}

export const byName = (flow: FlowNode[], name: string) => flow.find((n) => n.name === name) as FlowNode;

/** Collects a runtime's debug messages; `next(id)` waits for the next one from a debug node after the call. */
export class DebugLog {
  readonly messages: Debug[] = [];

  constructor(private readonly runtime: () => Runtime | undefined) {}

  add(debug: Debug): void {
    this.messages.push(debug);
  }

  async next(id: string, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const seen = this.messages.length;
    for (;;) {
      const found = this.messages.slice(seen).find((d) => d.id === id);
      if (found) return found.msg;
      if (Date.now() > deadline) throw new Error(`no debug message from ${id}; runtime log:\n${this.runtime()?.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
