import { Pg2GraphError, messageOf } from '../../engine/core';
import type { DoneFn, NodeMessage, NodeStatus, RedNode, SendFn } from './red';

/**
 * Runs an async input handler with Node-RED's send/done contract: a failure sets a red ring status and goes to
 * done(err) as a typed error (code + message) so Catch nodes see msg.error.code; nothing escapes as an
 * unhandled rejection that could take the runtime down.
 */
export function onInput(
  node: RedNode,
  handler: (msg: NodeMessage, send: SendFn) => Promise<void> | void,
  failureStatus: (error: Pg2GraphError) => NodeStatus,
): void {
  node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
    let settled = false;
    // a handler that throws at once fails the same way as one whose promise rejects
    Promise.resolve()
      .then(() => handler(msg, send))
      .then(
        () => {
          settled = true;
          done();
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          const typed = asTyped(error);
          node.status(failureStatus(typed));
          done(typed);
        },
      );
  });
}

export function asTyped(error: unknown): Pg2GraphError {
  return error instanceof Pg2GraphError ? error : new Pg2GraphError('INTERNAL', messageOf(error), {}, error);
}

/** Looks up a config node by id and checks its type; throws a typed error naming the setting otherwise. */
export function requireConfigNode<T>(lookup: (id: string) => unknown, id: unknown, type: string, setting: string, missingMessage: string): T {
  const config = typeof id === 'string' && id ? lookup(id) : undefined;
  if (!config || (config as { type?: string }).type !== type) {
    throw new Pg2GraphError('CONFIG_MISSING', missingMessage, { setting, type });
  }
  return config as T;
}
