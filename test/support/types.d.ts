declare module 'node-red-node-test-helper' {
  import type { EventEmitter } from 'events';
  interface TestNode extends EventEmitter {
    id: string;
    type: string;
    receive(msg: object): void;
    [key: string]: unknown;
  }
  interface NodeTestHelper {
    init(runtimePath?: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings: Record<string, unknown>): Record<string, unknown>;
    load(nodes: unknown, flow: object[], credentials?: Record<string, Record<string, string>>): Promise<void>;
    unload(): Promise<void>;
    setFlows(flow: object[], type?: 'full' | 'flows' | 'nodes', credentials?: Record<string, Record<string, string>>): Promise<void>;
    getNode(id: string): TestNode;
    clearFlows(): Promise<void>;
    startServer(done: (error?: unknown) => void): void;
    stopServer(done: (error?: unknown) => void): void;
    request(): import('supertest').SuperTest<import('supertest').Test>;
    _redNodes: { getFlows(): { flows: object[] } };
  }
  const helper: NodeTestHelper;
  export = helper;
}
declare module 'supertest' {
  interface Response {
    status: number;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of every admin endpoint under test
    body: any;
    text: string;
  }
  interface Test extends Promise<Response> {
    send(body: unknown): Test;
    set(header: string, value: string): Test;
    expect(status: number): Test;
  }
  interface SuperTest<T> {
    get(url: string): T;
    post(url: string): T;
  }
}
