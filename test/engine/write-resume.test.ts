/**
 * Runs stopped mid-way (the driver closed while batches were in flight) and started again from the checkpoints
 * in the target end with exactly the expected graph: no missing and no duplicate node or relationship.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { Neo4jConnection } from '../../dist/engine';
import { Neo4jTarget, type BatchWriteResult, type Neo4jTargetOptions } from '../../dist/engine/write';
import type { NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';
import { neo4jSettings, testDriver } from '../support/databases';
import {
  count,
  emptyGraph,
  gate,
  int,
  nodeBatches,
  relationshipBatches,
  resumedReading,
  withPlan,
  type NodeSpec,
  type RelationshipSpec,
} from './write-batches';

const people: NodeSpec = { entry: 'public.people', labels: ['Person'], key: ['personId'], columns: ['personId', 'name'] };
const referredBy: RelationshipSpec = {
  entry: 'public.people.people_referrer_fkey',
  type: 'REFERRED_BY',
  from: { labels: ['Person'], match: ['personId'] },
  to: { labels: ['Person'], match: ['personId'] },
  columns: ['personId', 'personId', 'since'],
};
const personRows = (n: number) => Array.from({ length: n }, (_, i) => [int(i + 1), `Person ${i + 1}`]);
const referralRows = (n: number) => Array.from({ length: n }, (_, i) => [int(i + 2), int(i + 1), int(2000 + (i % 20))]);

type Batch = NodeBatch | RelationshipBatch;

const sum = (results: BatchWriteResult[], field: 'nodesCreated' | 'nodesMatched' | 'relationshipsCreated') => results.reduce((n, r) => n + r[field], 0);

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Writes every batch at once; the batches in `held` stop inside their transaction (after their statement, before
 * the checkpoint and commit) until the others committed, then the driver is closed under them: a crash.
 */
async function crashedRun(batches: Batch[], held: Set<number>, mode: 'merge' | 'create', planKey: string, options: Neo4jTargetOptions = {}): Promise<void> {
  const connection = new Neo4jConnection(neo4jSettings());
  const hold = gate();
  const writer = new Neo4jTarget(connection, {
    retryBaseDelayMs: 10,
    ...options,
    hooks: { afterWrite: (attempt) => (held.has(attempt.index) ? hold.wait() : undefined) },
  });
  const writes = batches.map((batch) =>
    batch.kind === 'nodes' ? writer.writeNodes(withPlan(batch, planKey), mode) : writer.writeRelationships(withPlan(batch, planKey), mode),
  );
  await Promise.all(writes.filter((_, i) => !held.has(i)));
  await until(() => hold.waiting() === held.size);
  await connection.close();
  // a held transaction now fails or never hears back from the closed driver: either way it cannot commit
  hold.open();
  writes.forEach((write) => write.catch(() => undefined));
}

describe('graph writer: stopped runs resume from their checkpoints', function () {
  this.timeout(60_000);
  let driver: Driver;
  const opened: Neo4jConnection[] = [];

  function target(options: Neo4jTargetOptions = {}): Neo4jTarget {
    const connection = new Neo4jConnection(neo4jSettings());
    opened.push(connection);
    return new Neo4jTarget(connection, { retryBaseDelayMs: 10, ...options });
  }

  before(() => {
    driver = testDriver();
  });
  after(async () => {
    await driver.close();
  });
  beforeEach(async () => {
    await emptyGraph(driver);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  it('MERGE: a run aborted after batch k resumes at k and ends with exactly the source rows', async () => {
    const batches = nodeBatches(people, personRows(500), 50, { run: 'run-1' });
    await crashedRun(batches, new Set([6, 7, 8, 9]), 'merge', 'plan-a', { concurrency: 4 });
    assert.equal(await count(driver, 'MATCH (p:Person) RETURN count(p)'), 300, 'batches 0..5 committed, the held ones did not');

    const resumed = target({ concurrency: 4 });
    const checkpoint = (await resumed.checkpoints.read('plan-a')).get('public.people');
    assert.deepEqual(checkpoint, { entry: 'public.people', owner: 'run-1', batches: 6, lastKey: ['300'], complete: false });
    // the resumed reading starts after the checkpoint's key, numbers its batches from 0, and says who vouched for the key
    const rest = resumedReading(batches.slice(checkpoint.batches), 'run-2', checkpoint.lastKey!, checkpoint.owner);
    const results = await Promise.all(rest.map((b) => resumed.writeNodes(withPlan(b, 'plan-a'), 'merge')));
    assert.deepEqual([sum(results, 'nodesCreated'), sum(results, 'nodesMatched')], [200, 0], 'the resume wrote only what was missing');
    assert.equal(await count(driver, 'MATCH (p:Person) RETURN count(p)'), 500);
    assert.equal(await count(driver, 'MATCH (p:Person) RETURN count(DISTINCT p.personId)'), 500);
    assert.deepEqual((await resumed.checkpoints.read('plan-a')).get('public.people'), {
      entry: 'public.people',
      owner: 'run-2',
      batches: 4,
      lastKey: ['500'],
      complete: true,
    });
    await resumed.finishRun('plan-a');
    assert.equal((await resumed.checkpoints.read('plan-a')).size, 0, 'a finished run leaves no checkpoint');
  });

  it('CREATE: batches committed after a gap are not created twice when the run resumes', async () => {
    const nodes = nodeBatches(people, personRows(400), 50, { run: 'run-1' });
    await crashedRun(nodes, new Set([2, 6, 7]), 'create', 'plan-b', { concurrency: 4 });
    assert.equal(await count(driver, 'MATCH (p:Person) RETURN count(p)'), 250, 'batches 0, 1, 3, 4, 5 committed');

    const resumed = target({ concurrency: 4 });
    const checkpoint = (await resumed.checkpoints.read('plan-b')).get('public.people');
    assert.deepEqual(
      checkpoint,
      { entry: 'public.people', owner: 'run-1', batches: 2, lastKey: ['100'], complete: false },
      'the checkpoint stops before the gap',
    );
    const rest = resumedReading(nodes.slice(2), 'run-2', checkpoint.lastKey!, checkpoint.owner);
    const results = await Promise.all(rest.map((b) => resumed.writeNodes(withPlan(b, 'plan-b'), 'create')));
    assert.ok(
      results.every((r) => r.mode === 'merge'),
      'a resumed CREATE entry is written with MERGE',
    );
    assert.deepEqual([sum(results, 'nodesCreated'), sum(results, 'nodesMatched')], [150, 150]);
    assert.equal(await count(driver, 'MATCH (p:Person) RETURN count(p)'), 400);
    assert.equal(await count(driver, 'MATCH (p:Person) RETURN count(DISTINCT p.personId)'), 400);

    const relationships = relationshipBatches(referredBy, referralRows(100), 25, { run: 'run-2' });
    await crashedRun(relationships, new Set([1, 3]), 'create', 'plan-b', { relationshipConcurrency: 4 });
    assert.equal(await count(driver, 'MATCH ()-[r:REFERRED_BY]->() RETURN count(r)'), 50, 'batches 0 and 2 committed');
    const again = target({ relationshipConcurrency: 4 });
    const relCheckpoint = (await again.checkpoints.read('plan-b')).get(referredBy.entry);
    assert.deepEqual(relCheckpoint, { entry: referredBy.entry, owner: 'run-2', batches: 1, lastKey: ['26', '25'], complete: false });
    const relRest = resumedReading(relationships.slice(1), 'run-3', relCheckpoint.lastKey!, relCheckpoint.owner);
    const relResults = await Promise.all(relRest.map((b) => again.writeRelationships(withPlan(b, 'plan-b'), 'create')));
    assert.equal(sum(relResults, 'relationshipsCreated'), 50);
    assert.equal(await count(driver, 'MATCH ()-[r:REFERRED_BY]->() RETURN count(r)'), 100);
    assert.equal(await count(driver, 'MATCH (a)-[r:REFERRED_BY]->(b) WITH a, b, count(r) AS n WHERE n > 1 RETURN count(*)'), 0, 'no duplicate relationship');
    const done = await again.checkpoints.read('plan-b');
    assert.deepEqual([...done.values()].map((c) => [c.entry, c.complete]).sort(), [
      ['public.people', true],
      [referredBy.entry, true],
    ]);
  });

  it('a finished run starts the next one fresh: CREATE refuses the full target, MERGE checkpoints from batch 0', async () => {
    const writer = target();
    const batches = nodeBatches(people, personRows(60), 30, { run: 'run-1' });
    for (const batch of batches) await writer.writeNodes(withPlan(batch, 'plan-c'), 'create');
    await writer.finishRun('plan-c');
    const next = target();
    await assert.rejects(next.writeNodes(withPlan({ ...batches[0], batch: { ...batches[0].batch, run: 'run-2' } }, 'plan-c'), 'create'), {
      code: 'WRITE_TARGET_NOT_EMPTY',
    });
    const result = await next.writeNodes(withPlan({ ...batches[0], batch: { ...batches[0].batch, run: 'run-3' } }, 'plan-c'), 'merge');
    assert.deepEqual(result.checkpoint, { entry: 'public.people', owner: 'run-3', batches: 1, lastKey: ['30'], complete: false });
    assert.equal((await next.checkpoints.read('another-plan')).size, 0, 'checkpoints belong to their plan');
  });
});
