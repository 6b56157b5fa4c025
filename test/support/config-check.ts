/**
 * A config node under test behind the test-only checker node (test/fixtures/pg2graph-test-check): the flow
 * around it and one check through it, answered by its result or by the error a Catch node saw.
 */
import { helper, nextMessage } from './node-red';

export interface CaughtError {
  message: string;
  code?: string;
}

/** A tab with: the config node `cfg`, a checker using it, a Catch node and helpers for output and errors. */
export function checkerFlow(config: Record<string, unknown>, kind: 'postgres' | 'neo4j') {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'cfg', ...config },
    { id: 'check', type: 'pg2graph-test-check', z: 'tab', server: 'cfg', kind, wires: [['out']] },
    { id: 'out', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

/** Sends one message into the checker and waits for either the result or the caught error. */
export async function runCheck(timeoutMs = 15_000): Promise<{ payload?: Record<string, unknown>; error?: CaughtError; elapsedMs: number }> {
  const started = Date.now();
  const result = Promise.race<{ payload?: Record<string, unknown>; error?: CaughtError }>([
    nextMessage<{ payload: Record<string, unknown> }>(helper.getNode('out'), timeoutMs).then((m) => ({ payload: m.payload })),
    nextMessage<{ error: CaughtError }>(helper.getNode('caught'), timeoutMs).then((m) => ({ error: m.error })),
  ]);
  helper.getNode('check').receive({ payload: 'go' });
  return { ...(await result), elapsedMs: Date.now() - started };
}
