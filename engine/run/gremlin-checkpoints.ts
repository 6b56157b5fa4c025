/**
 * Checkpoints on a Gremlin server: one `Pg2GraphCheckpoint` vertex per plan and entry, with the id
 * "Pg2GraphCheckpoint:<plan>:<entry>" and the same fields as on Bolt. A Gremlin request is no transaction on every
 * server (TinkerGraph has none), so a checkpoint is saved after its batch was written, never before: it never
 * claims rows that are not in the graph, and a batch written just before a crash is written again, idempotently,
 * on resume (README.md, Gremlin: checkpoints). The writer keeps each entry's state and saves it in order.
 */
import gremlin from 'gremlin';
import { CHECKPOINT_LABEL } from '../cypher/reserved';
import { vertexId } from '../gremlin/ids';
import { gremlinScalar } from '../gremlin/values';
import { GremlinDouble, GremlinLong } from '../connect/gremlin-codec';
import { decodeCheckpoint, encodeCheckpoint } from './bolt-checkpoints';
import { toEntryCheckpoint, type CheckpointState, type EntryCheckpoint } from './checkpoint-state';
import type { CheckpointStore } from './checkpoint-store';

const { statics: __, merge, cardinality, t, P } = gremlin.process;

/** Runs a traversal (the writer's deadline and retries around it). */
export type TraversalRunner = (build: (g: gremlin.process.GraphTraversalSource) => gremlin.process.GraphTraversal, what: string) => Promise<unknown[]>;

/** A read-back value as the Bolt decoder takes it: Longs and Doubles as numbers, one value of a property list. */
function plain(value: unknown): unknown {
  const single: unknown = Array.isArray(value) ? value[0] : value;
  if (single instanceof GremlinLong) return Number(single.value);
  if (single instanceof GremlinDouble) return single.value;
  return single;
}

function storedFields(stored: Map<string, unknown>): Record<string, unknown> {
  return Object.fromEntries([...stored].map(([name, value]) => [name, plain(value)]));
}

export class GremlinCheckpoints implements CheckpointStore {
  constructor(private readonly run: TraversalRunner) {}

  static id(planKey: string, entry: string): string {
    return vertexId(CHECKPOINT_LABEL, [planKey, entry]);
  }

  async read(planKey: string): Promise<Map<string, EntryCheckpoint>> {
    const states = await this.readStates(planKey);
    return new Map([...states].map(([entry, state]) => [entry, toEntryCheckpoint(entry, state)]));
  }

  /** The stored state of every entry of the plan (what the writer advances). */
  async readStates(planKey: string): Promise<Map<string, CheckpointState>> {
    const found = await this.run((g) => g.V().hasLabel(CHECKPOINT_LABEL).has('plan', planKey).valueMap(), 'the checkpoint read');
    const result = new Map<string, CheckpointState>();
    for (const stored of found as Array<Map<string, unknown>>) {
      const fields = storedFields(stored);
      result.set(String(fields.entry), decodeCheckpoint(fields));
    }
    return result;
  }

  /**
   * The stored state of one entry, undefined when it has none: looked up by its id, as a server without a label
   * index (TinkerGraph) answers readStates by scanning every vertex, and the writer asks once per entry.
   */
  async readState(planKey: string, entry: string): Promise<CheckpointState | undefined> {
    const found = await this.run(
      (g) => g.V(GremlinCheckpoints.id(planKey, entry)).hasLabel(CHECKPOINT_LABEL).has('plan', planKey).has('entry', entry).valueMap(),
      'the checkpoint read',
    );
    const stored = (found as Array<Map<string, unknown>>)[0];
    return stored ? decodeCheckpoint(storedFields(stored)) : undefined;
  }

  async clear(planKey: string, entries?: readonly string[]): Promise<void> {
    await this.run((g) => {
      const mine = g.V().hasLabel(CHECKPOINT_LABEL).has('plan', planKey);
      return (entries ? mine.has('entry', P.within(...entries)) : mine).drop();
    }, 'clearing checkpoints');
  }

  /** Saves an entry's state (after its batch was written). */
  async save(planKey: string, entry: string, state: CheckpointState): Promise<EntryCheckpoint> {
    const checkpoint = toEntryCheckpoint(entry, state);
    const id = GremlinCheckpoints.id(planKey, entry);
    const fields = { ...encodeCheckpoint(state, checkpoint.complete), updated: new Date().toISOString() };
    await this.run((g) => {
      let traversal = g
        .mergeV(new Map([[t.id, id]]))
        .option(
          merge.onCreate,
          new Map<unknown, unknown>([
            [t.id, id],
            [t.label, CHECKPOINT_LABEL],
            ['plan', planKey],
            ['entry', entry],
          ]),
        )
        .option(merge.onMatch, new Map());
      for (const [name, value] of Object.entries(fields)) {
        traversal = value === null ? traversal.sideEffect(__.properties(name).drop()) : traversal.property(cardinality.single, name, gremlinScalar(value));
      }
      return traversal.id();
    }, 'the checkpoint save');
    return checkpoint;
  }
}
