/**
 * The small part of the Node-RED runtime API that this pack uses, typed here so the adapters compile under
 * `strict` without pulling in the whole (dated) @types/node-red tree.
 */
import type { IncomingMessage, ServerResponse } from 'http';

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type NodeMessage = Record<string, unknown> & { _msgid?: string; payload?: unknown; topic?: string };
export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null> | null) => void;
export type DoneFn = (error?: Error) => void;

/** A node type's message lookup: a key of its catalog (without the `<type>.` prefix) and its substitutions. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface RedNode {
  id: string;
  type: string;
  name?: string;
  credentials: Record<string, string | undefined>;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void | Promise<void>): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  status(status: NodeStatus | Record<string, never>): void;
  send(msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null> | null): void;
  error(error: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
}

export interface AdminRequest extends IncomingMessage {
  body: Record<string, unknown>;
  params: Record<string, string>;
  query: Record<string, string>;
}

export interface AdminResponse extends ServerResponse {
  json(body: unknown): void;
  status(code: number): AdminResponse;
  sendStatus(code: number): void;
}

export type AdminHandler = (req: AdminRequest, res: AdminResponse, next?: () => void) => void;

export interface NodeRedApi {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType<N extends RedNode, D extends NodeDef>(
      type: string,
      constructor: (this: N, def: D) => void,
      options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
    ): void;
    getNode(id: string): unknown;
    getCredentials(id: string): Record<string, string | undefined> | undefined;
  };
  httpAdmin: {
    get(path: string, ...handlers: AdminHandler[]): void;
    post(path: string, ...handlers: AdminHandler[]): void;
  };
  auth: { needsPermission(permission: string): AdminHandler };
  /** Translates a message key of this node set's catalog. */
  _(key: string, substitutions?: Record<string, unknown>): string;
  util: { cloneMessage<T>(msg: T): T };
  settings: Record<string, unknown>;
  version?: () => string;
}
