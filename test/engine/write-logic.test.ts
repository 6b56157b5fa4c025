/** Pure parts of the writer: backoff, the limiter, batch checks, the plan's schema. */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { backoffDelay, withRetries, RetryFailure } from '../../dist/engine/core/retry';
import { Limiter } from '../../dist/engine/write/limiter';
import { checkNodeBatch, checkRelationshipBatch, valueProblem } from '../../dist/engine/write/row-check';
import { planSchema } from '../../dist/engine/write';
import type { NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { assertValidPlan } from '../../dist/engine/plan';

const info = (index = 0) => ({ run: 'r', seq: index + 1, phase: 'nodes' as const, entry: 'public.orders', index, rows: 1, last: false });

describe('write logic', () => {
  describe('retries', () => {
    it('backs off exponentially with jitter in the upper half, capped', () => {
      const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
      assert.equal(
        backoffDelay(1, policy, () => 0),
        50,
      );
      assert.equal(
        backoffDelay(1, policy, () => 1),
        100,
      );
      assert.equal(
        backoffDelay(3, policy, () => 1),
        400,
      );
      assert.equal(
        backoffDelay(10, policy, () => 1),
        1000,
      );
      assert.equal(
        backoffDelay(10, policy, () => 0),
        500,
      );
    });

    it('retries transient failures only, and reports how many retries happened', async () => {
      const policy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 };
      let calls = 0;
      const ok = await withRetries(
        async () => {
          calls += 1;
          if (calls < 3) throw new Error('busy');
          return 'done';
        },
        policy,
        () => true,
      );
      assert.deepEqual(ok, { value: 'done', retries: 2 });
      calls = 0;
      await assert.rejects(
        withRetries(
          async () => {
            calls += 1;
            throw new Error('busy');
          },
          policy,
          () => true,
        ),
        (e: unknown) => e instanceof RetryFailure && e.retries === 3 && e.transient && calls === 4,
      );
      calls = 0;
      await assert.rejects(
        withRetries(
          async () => {
            calls += 1;
            throw new Error('bad');
          },
          policy,
          () => false,
        ),
        (e: unknown) => e instanceof RetryFailure && e.retries === 0 && !e.transient && calls === 1,
      );
    });
  });

  describe('limiter', () => {
    it('runs at most `limit` tasks at once, the rest in call order', async () => {
      const limiter = new Limiter(2);
      let running = 0;
      let peak = 0;
      const started: number[] = [];
      const task = (n: number) =>
        limiter.run(async () => {
          started.push(n);
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5 + (n % 3)));
          running -= 1;
          return n;
        });
      const results = await Promise.all([0, 1, 2, 3, 4, 5, 6].map(task));
      assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6]);
      assert.equal(peak, 2);
      assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
      assert.equal(limiter.active, 0);
    });
  });

  describe('batch checks', () => {
    const nodes = (rows: unknown[][], extra: Partial<NodeBatch> = {}): NodeBatch => ({
      kind: 'nodes',
      labels: ['Order'],
      key: ['orderId'],
      columns: ['orderId', 'meta'],
      rows,
      batch: info(3),
      ...extra,
    });

    it('accepts storable values', () => {
      checkNodeBatch(
        nodes([
          [neo4j.int(1), 'x'],
          [neo4j.int(2), null],
          [neo4j.int(3), [1.5, 2]],
          [neo4j.int(4), new neo4j.types.Date(2024, 1, 2)],
          [neo4j.int(5), new Int8Array([1])],
        ]),
      );
    });

    it('names entry, batch, row, key and property for a null key', () => {
      assert.throws(
        () =>
          checkNodeBatch(
            nodes([
              [neo4j.int(1), 'x'],
              [null, 'y'],
            ]),
          ),
        (e: Error & { code?: string }) =>
          e.code === 'WRITE_KEY_MISSING' && /entry "public\.orders" batch 3: row 1 \(key \[null\]\): key property "orderId" is null/.test(e.message),
      );
    });

    it('names the row key and property of a value Neo4j cannot store', () => {
      assert.throws(
        () => checkNodeBatch(nodes([[neo4j.int(7), { a: 1 }]])),
        (e: Error & { code?: string }) => e.code === 'WRITE_VALUE_REFUSED' && /row 0 \(key \[7\]\): property "meta" holds a map/.test(e.message),
      );
      assert.throws(() => checkNodeBatch(nodes([[neo4j.int(8), [1, 'a']]])), /key \[8\]\): property "meta" holds a list of mixed types/);
      assert.throws(() => checkNodeBatch(nodes([[neo4j.int(9), [neo4j.int(1), 2.5]]])), /list of mixed types \(integer and float/);
      assert.throws(() => checkNodeBatch(nodes([[neo4j.int(9), new Date()]])), /JavaScript Date/);
      assert.throws(() => checkNodeBatch(nodes([[neo4j.int(9), Buffer.from('ab')]])), /Int8Array/);
      assert.match(String(valueProblem([1, null])), /null element at position 1/);
      assert.equal(
        valueProblem([new neo4j.types.LocalDateTime(2024, 1, 2, 3, 4, 5, 0), 'x']),
        'a list of mixed types (localDateTime and string at position 1); a list property holds one type',
      );
      assert.equal(valueProblem([new Int8Array([1])]), 'a list holding bytes at position 0');
      assert.equal(valueProblem(Symbol('s')), 'a symbol');
    });

    it('refuses batches of the wrong shape with the entry named', () => {
      assert.throws(() => checkNodeBatch(nodes([[1]])), /entry "public\.orders" batch 3: row 0 must be a list of 2 values/);
      assert.throws(() => checkNodeBatch(nodes([], { columns: ['meta', 'orderId'] })), /columns must start with the key/);
      assert.throws(() => checkNodeBatch(nodes([], { labels: [''] })), { code: 'WRITE_INPUT_INVALID' });
      assert.throws(() => checkNodeBatch({ kind: 'nodes', labels: ['A'], key: ['k'], columns: ['k'], rows: [] } as unknown as NodeBatch), /needs batch info/);
      const relationships: RelationshipBatch = {
        kind: 'relationships',
        type: 'T',
        from: { labels: ['A'], match: ['a'] },
        to: { labels: ['B'], match: ['b'] },
        columns: ['a', 'b', 'p'],
        rows: [[1, null, 2]],
        skippedNullMatch: 0,
        batch: { ...info(0), phase: 'relationships', entry: 'rel' },
      };
      assert.throws(
        () => checkRelationshipBatch(relationships),
        (e: Error & { code?: string }) =>
          e.code === 'WRITE_KEY_MISSING' && /entry "rel" batch 0: row 0 \(key \[1, null\]\): key property "b" is null/.test(e.message),
      );
    });
  });

  describe('plan schema', () => {
    it('keys every node entry and indexes relationship ends that match on a non-key property', () => {
      const property = (column: string, name: string, pgType = 'int4', as: 'integer' | 'string' = 'integer') => ({ column, name, pgType, as });
      const plan: GraphPlan = {
        version: 1,
        source: { schemas: ['public'] },
        options: { batchSize: 100, writeMode: 'merge' },
        nodes: [
          {
            id: 'public.customers',
            table: { schema: 'public', name: 'customers' },
            label: 'Customer',
            key: ['customerId'],
            warnings: [],
            properties: [property('customer_id', 'customerId'), property('email', 'email', 'text', 'string')],
          },
          {
            id: 'public.order_lines',
            table: { schema: 'public', name: 'order_lines' },
            label: 'OrderLine',
            key: ['orderId', 'lineNo'],
            warnings: [],
            properties: [property('order_id', 'orderId'), property('line_no', 'lineNo'), property('customer_email', 'customerEmail', 'text', 'string')],
          },
        ],
        relationships: [
          {
            id: 'public.order_lines.fk',
            type: 'BOUGHT_BY',
            source: { kind: 'foreignKey', table: { schema: 'public', name: 'order_lines' }, constraint: 'fk' },
            from: { node: 'public.order_lines', match: { lineNo: 'line_no', orderId: 'order_id' } },
            to: { node: 'public.customers', match: { email: 'customer_email' } },
            properties: [],
          },
        ],
      };
      assert.deepEqual(planSchema(assertValidPlan(plan)), {
        keys: [
          { label: 'Customer', key: ['customerId'] },
          { label: 'OrderLine', key: ['orderId', 'lineNo'] },
        ],
        matches: [{ label: 'Customer', properties: ['email'] }],
      });
      // a broken plan never gets this far: the one validator refuses it where it enters, naming the path
      const broken = { ...plan, relationships: [{ ...plan.relationships[0], to: { node: 'public.nothing', match: { a: 'b' } } }] };
      assert.throws(
        () => assertValidPlan(broken),
        (e: Error & { code?: string }) => e.code === 'PLAN_INVALID' && /relationships\[0\]\.to\.node: there is no node entry "public\.nothing"/.test(e.message),
      );
    });
  });
});
