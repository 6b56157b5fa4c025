/** node-red-node-test-helper bound to the Node-RED major version under test (4.1.x or 5.0.x). */
import path from 'path';
import helper from 'node-red-node-test-helper';
import { nodeRedPackage } from './env';

helper.init(require.resolve(nodeRedPackage()));

export { helper };

const DIST_NODES = path.resolve(__dirname, '..', '..', 'dist', 'nodes');

/** The compiled node module (what Node-RED loads), by node type. */
export function nodeModule(type: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(DIST_NODES, `${type}.js`));
}

/** Resolves with the next `call:<method>` event of a node (status, error, send, ...). */
export function nextCall(
  node: { once(event: string, listener: (call: { args: unknown[] }) => void): void },
  method: string,
  timeoutMs = 10_000,
): Promise<{ args: unknown[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no call:${method} within ${timeoutMs} ms`)), timeoutMs);
    node.once(`call:${method}`, (call) => {
      clearTimeout(timer);
      resolve(call);
    });
  });
}

export interface NodeStatusCall {
  fill?: string;
  shape?: string;
  text?: string;
}

/**
 * Every status the node of this id showed, in order. The test helper's spy on status is shared by all nodes of
 * the flow, so only the calls made by this node are kept.
 */
export function statusesOf(id: string): NodeStatusCall[] {
  const node = helper.getNode(id) as unknown as { status: { getCalls(): Array<{ thisValue: unknown; args: [NodeStatusCall] }> } };
  return node.status
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args[0]);
}

/** Resolves with the next message a helper node receives. */
export function nextMessage<T = Record<string, unknown>>(node: { once(event: 'input', listener: (msg: T) => void): void }, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
    node.once('input', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

/** Starts the helper's server before each test of the suite; unloads the flow and stops the server after each. */
export function withNodeRedServer(): void {
  beforeEach(function (done) {
    helper.startServer(done);
  });
  afterEach(async function () {
    await helper.unload();
    await new Promise((resolve) => helper.stopServer(resolve));
  });
}
