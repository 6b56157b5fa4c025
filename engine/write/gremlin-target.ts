/**
 * The GraphTarget over Gremlin (Apache TinkerPop: Gremlin Server, Neptune, JanusGraph, Cosmos DB; README.md,
 * Gremlin): each batch one traversal per request of at most `rowsPerRequest` rows (vertices by `mergeV` / `addV`
 * with their id, edges by `mergeE` between end ids looked up first), retried with backoff while the failure is
 * transient, within the batch timeout; then the entry's checkpoint, saved in order after its batch.
 */
import type { GremlinConnection } from '../connect/gremlin-connection';
import { isTransientGremlinError } from '../connect/gremlin-errors';
import { withDeadline, settlesWithin } from '../core/deadline';
import { Pg2GraphError, isPg2GraphError } from '../core/errors';
import { integerSetting } from '../core/settings';
import { PerRun } from '../core/memo';
import { sameMembers } from '../core/sets';
import type { BatchInfo, NodeBatch, RelationshipBatch } from '../core/records';
import { edgeId, vertexId } from '../gremlin/ids';
import { edgeWrite, existingVertices, verticesByProperties, vertexWrite, type ElementRow } from '../gremlin/traversals';
import type { GraphPlan } from '../plan/types';
import { assertValidPlan } from '../plan/validate';
import { advanceCheckpoint, EMPTY_CHECKPOINT, GremlinCheckpoints, type CheckpointState, type EntryCheckpoint, type TraversalRunner } from '../run';
import { keyTexts } from '../values/graph-text';
import { checkBatchTimeout, DEFAULT_BATCH_TIMEOUT_MS } from './batch-timeout';
import { timeoutError } from './batch-runner';
import { describeBatch, describeKeyRange } from './describe';
import { edgeProperties, foundMatchText, matchText, safeScalar, vertexRows } from './gremlin-rows';
import { Limiter } from './limiter';
import { DEFAULT_RETRY_POLICY, RetryFailure, withRetries, type RetryPolicy } from '../core/retry';
import { checkNodeBatch, checkRelationshipBatch } from './row-check';
import type { BatchWriteResult, GraphTarget, MissingEndExample, WriteMode } from './target';
import type { WriteAnswer } from '../gremlin/traversals';

export interface GremlinTargetOptions {
  /** Node batches written at once (default 4). */
  concurrency?: number;
  /** Relationship batches written at once (default 1). */
  relationshipConcurrency?: number;
  /** Retries of a transient failure per request (default 5). */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Within which a request must answer (default 60,000 ms), else WRITE_TIMEOUT. */
  batchTimeoutMs?: number;
  /**
   * Rows per request (default 500): a larger batch is sent as several requests. Neptune documents batches of a
   * few hundred upserts per request as its sweet spot, well inside its request size limit.
   */
  rowsPerRequest?: number;
}

export const DEFAULT_ROWS_PER_REQUEST = 500;
const MISSING_EXAMPLES = 5;

function writerSetting(value: number, setting: string, min: number): number {
  return integerSetting(value, { code: 'WRITE_SETTING_INVALID', setting, what: `Writer setting "${setting}"`, min });
}

function checkMode(mode: unknown): asserts mode is WriteMode {
  if (mode !== 'merge' && mode !== 'create') {
    throw new Pg2GraphError('WRITE_SETTING_INVALID', `Write mode must be "merge" or "create", got ${JSON.stringify(mode)}`, { setting: 'mode' });
  }
}

/**
 * An entry's checkpoint state after the save in progress (saves of one entry go one after another), read from the
 * graph once; `stored`: whether the graph holds a checkpoint of the entry (read, or saved by this writer since).
 */
interface EntryProgress {
  state: Promise<CheckpointState>;
  stored: boolean;
}

export class GremlinTarget implements GraphTarget {
  readonly checkpoints: GremlinCheckpoints;
  private readonly nodeSlots: Limiter;
  private readonly relationshipSlots: Limiter;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly rowsPerRequest: number;
  /** Primary label -> key properties, from prepared plans and written node batches. */
  private readonly knownKeys = new Map<string, string[]>();
  private readonly progress = new Map<string, EntryProgress>();
  private readonly createGuards = new PerRun<Promise<WriteMode>>();
  /** Per run: whether the graph held vertices of a label when the run first asked (CREATE's emptiness check). */
  private readonly labelsPresent = new PerRun<Promise<boolean>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  private readonly abandoned: Promise<never>;
  private abandon!: (error: Pg2GraphError) => void;

  constructor(
    private readonly connection: GremlinConnection,
    options: GremlinTargetOptions = {},
  ) {
    this.nodeSlots = new Limiter(writerSetting(options.concurrency ?? 4, 'concurrency', 1));
    this.relationshipSlots = new Limiter(writerSetting(options.relationshipConcurrency ?? 1, 'relationshipConcurrency', 1));
    this.policy = {
      maxRetries: writerSetting(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries, 'maxRetries', 0),
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    };
    this.timeoutMs = checkBatchTimeout(
      options.batchTimeoutMs ?? DEFAULT_BATCH_TIMEOUT_MS,
      'WRITE_SETTING_INVALID',
      'batchTimeoutMs',
      'Writer setting "batchTimeoutMs"',
    );
    this.rowsPerRequest = writerSetting(options.rowsPerRequest ?? DEFAULT_ROWS_PER_REQUEST, 'rowsPerRequest', 1);
    this.abandoned = new Promise<never>((_, reject) => {
      this.abandon = reject;
    });
    this.abandoned.catch(() => undefined);
    this.checkpoints = new GremlinCheckpoints((build, what) => this.request(build, what));
  }

  /** No schema on Gremlin: the plan is checked for what a vertex cannot express, and its keys are learnt. */
  prepare(given: GraphPlan): Promise<{ statements: string[] }> {
    try {
      this.checkOpen();
      this.learn(assertValidPlan(given));
      return Promise.resolve({ statements: [] });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private learn(plan: GraphPlan): void {
    for (const entry of plan.nodes) {
      if (entry.labels?.length) {
        throw new Pg2GraphError(
          'WRITE_PLAN_UNSUPPORTED',
          `Entry "${entry.id}" has the extra labels ${entry.labels.map((l) => `"${l}"`).join(', ')}: a Gremlin vertex has one label ("${entry.label}"); remove them from the plan for the Gremlin target`,
          { entry: entry.id },
        );
      }
      this.knownKeys.set(entry.label, [...entry.key]);
    }
  }

  async writeNodes(batch: NodeBatch, mode: WriteMode): Promise<BatchWriteResult> {
    checkMode(mode);
    checkNodeBatch(batch);
    this.checkOpen();
    if (batch.labels.length > 1) {
      throw new Pg2GraphError(
        'WRITE_PLAN_UNSUPPORTED',
        `${describeBatch(batch.batch)}: a Gremlin vertex has one label, the batch has ${batch.labels.join(', ')}`,
        {
          entry: batch.batch.entry,
        },
      );
    }
    const label = batch.labels[0];
    this.knownKeys.set(label, [...batch.key]);
    const rows = vertexRows(batch);
    return this.track(
      this.nodeSlots.run(async () => {
        this.checkOpen();
        const effective = mode === 'create' ? await this.createGuard(batch.batch, label) : 'merge';
        const answer = await this.inRequests(batch.batch, batch.rows, batch.key.length, rows, (part, attempt) =>
          vertexWrite(this.connection.g(), { label, columns: batch.columns, rows: part, mode: attempt > 1 ? 'merge' : effective }),
        );
        const created = answer.distinct - answer.before;
        const checkpoint = await this.advance(batch.batch);
        return {
          mode: effective,
          nodesCreated: created,
          nodesMatched: effective === 'merge' ? rows.length - created : 0,
          relationshipsCreated: 0,
          propertiesWritten: countProperties(rows),
          missingEnds: 0,
          retries: answer.retries,
          ...(checkpoint ? { checkpoint } : {}),
        };
      }),
    );
  }

  async writeRelationships(batch: RelationshipBatch, mode: WriteMode): Promise<BatchWriteResult> {
    checkMode(mode);
    checkRelationshipBatch(batch);
    this.checkOpen();
    const keyLength = batch.from.match.length + batch.to.match.length;
    return this.track(
      this.relationshipSlots.run(async () => {
        this.checkOpen();
        const ends = await this.resolveEnds(batch);
        const rows: ElementRow[] = [];
        const sourceRows: unknown[][] = [];
        const examples: MissingEndExample[] = [];
        let missingEnds = 0;
        batch.rows.forEach((row, i) => {
          const from = ends.from[i];
          const to = ends.to[i];
          if (from && to) {
            rows.push({ id: edgeId(batch.type, from, to), from, to, properties: edgeProperties(batch, row) });
            sourceRows.push(row);
            return;
          }
          missingEnds += 1;
          if (examples.length < MISSING_EXAMPLES) {
            examples.push({
              row: i,
              from: keyTexts(row.slice(0, batch.from.match.length)),
              to: keyTexts(row.slice(batch.from.match.length, keyLength)),
              missing: !from && !to ? 'both' : !from ? 'from' : 'to',
            });
          }
        });
        const answer = await this.inRequests(batch.batch, sourceRows, keyLength, rows, (part) =>
          edgeWrite(this.connection.g(), { label: batch.type, columns: batch.columns.slice(keyLength), rows: part, mode: 'merge' }),
        );
        const checkpoint = await this.advance(batch.batch);
        return {
          mode: mode === 'create' ? 'merge' : mode,
          nodesCreated: 0,
          nodesMatched: 0,
          relationshipsCreated: answer.distinct - answer.before,
          propertiesWritten: countProperties(rows),
          missingEnds,
          retries: answer.retries,
          ...(examples.length ? { missingEndExamples: examples } : {}),
          ...(checkpoint ? { checkpoint } : {}),
        };
      }),
    );
  }

  async finishRun(planKey: string, entries?: readonly string[], run?: string): Promise<void> {
    this.checkOpen();
    await this.checkpoints.clear(planKey, entries);
    for (const id of [...this.progress.keys()]) {
      const [plan, entry] = JSON.parse(id) as [string, string];
      if (plan === planKey && (!entries || entries.includes(entry))) this.progress.delete(id);
    }
    if (run !== undefined) {
      this.createGuards.forget(run);
      this.labelsPresent.forget(run);
    }
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Stops taking batches; waits up to maxWaitMs for those in flight, then fails them with WRITE_ABORTED. */
  async close(maxWaitMs = 10_000): Promise<void> {
    this.closed = true;
    await settlesWithin(Promise.allSettled([...this.inFlight]), maxWaitMs);
    if (this.inFlight.size) {
      this.abandon(
        new Pg2GraphError(
          'WRITE_ABORTED',
          'The graph writer was closed while the batch was in flight; its checkpoint was not advanced, so running again writes it again',
        ),
      );
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Pg2GraphError('WRITE_ABORTED', 'The graph writer was closed; the batch was not written');
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const tracked = Promise.race([work, this.abandoned]);
    this.inFlight.add(tracked);
    const forget = () => this.inFlight.delete(tracked);
    tracked.then(forget, forget);
    return tracked;
  }

  /** One traversal within the batch timeout, retried while transient (the writer's own statements). */
  private request: TraversalRunner = async (build, what) => {
    try {
      const { value } = await withRetries(
        () => this.connection.run(build(this.connection.g()), this.timeoutMs, what),
        this.policy,
        (error) => !this.closed && isTransientGremlinError(error),
      );
      return value;
    } catch (failure) {
      throw failure instanceof RetryFailure ? failure.error : failure;
    }
  };

  /**
   * Sends the rows in requests of at most rowsPerRequest, one after another, each retried while transient; a
   * retried request is written with MERGE (an attempt whose answer was lost may have written its rows).
   */
  private async inRequests(
    info: BatchInfo,
    sourceRows: readonly unknown[][],
    keyLength: number,
    rows: readonly ElementRow[],
    build: (part: ElementRow[], attempt: number) => ReturnType<typeof vertexWrite>,
  ): Promise<{ distinct: number; before: number; retries: number }> {
    let before = 0;
    let retries = 0;
    let distinct = 0;
    for (let start = 0; start < rows.length || (start === 0 && rows.length === 0); start += this.rowsPerRequest) {
      const part = rows.slice(start, start + this.rowsPerRequest);
      if (!part.length) break;
      distinct += new Set(part.map((row) => row.id)).size;
      try {
        const outcome = await Promise.race([
          this.abandoned,
          withRetries(
            (attempt) =>
              withDeadline(this.connection.run<Map<string, unknown>>(build(part, attempt), this.timeoutMs, `${describeBatch(info)}`), this.timeoutMs, () =>
                timeoutError(this.timeoutMs, 'the request was not answered'),
              ),
            this.policy,
            (error) => !this.closed && isTransientGremlinError(error),
          ),
        ]);
        before += answerOf(outcome.value).before;
        retries += outcome.retries;
      } catch (failure) {
        throw this.batchError(info, sourceRows, keyLength, failure);
      }
    }
    return { distinct, before, retries };
  }

  /** Both ends' vertex ids per row (undefined: not found): by key when the end matches on its key, else looked up. */
  private async resolveEnds(batch: RelationshipBatch): Promise<{ from: Array<string | undefined>; to: Array<string | undefined> }> {
    const fromLength = batch.from.match.length;
    const sides = [
      { end: batch.from, values: batch.rows.map((row) => row.slice(0, fromLength)) },
      { end: batch.to, values: batch.rows.map((row) => row.slice(fromLength, fromLength + batch.to.match.length)) },
    ];
    const resolved = await Promise.all(
      sides.map(async ({ end, values }) => {
        const label = end.labels[0];
        const key = this.knownKeys.get(label);
        if (key && sameMembers(key, end.match)) {
          const order = key.map((name) => end.match.indexOf(name));
          return values.map((match) =>
            vertexId(
              label,
              order.map((i) => match[i]),
            ),
          );
        }
        return this.lookUp(batch, label, end.match, values);
      }),
    );
    const candidates = resolved.flat().filter((id): id is string => id !== undefined);
    const existing = candidates.length
      ? new Set((await this.request((g) => existingVertices(g, candidates), `the end lookup of ${describeBatch(batch.batch)}`)) as string[])
      : new Set<string>();
    const found = (ids: Array<string | undefined>) => ids.map((id) => (id !== undefined && existing.has(id) ? id : undefined));
    return { from: found(resolved[0]), to: found(resolved[1]) };
  }

  /** Ends matched on properties that are not the end's key: one lookup of the batch's distinct values. */
  private async lookUp(batch: RelationshipBatch, label: string, names: readonly string[], values: unknown[][]): Promise<Array<string | undefined>> {
    const wanted = values.filter((match) => match.every((value) => safeScalar(value) !== undefined));
    if (!wanted.length) return values.map(() => undefined);
    const encoded = wanted.map((match) => match.map((value) => safeScalar(value)!));
    const found = (await this.request((g) => verticesByProperties(g, label, names, encoded), `the end lookup of ${describeBatch(batch.batch)}`)) as Array<
      Map<string, unknown>
    >;
    const byValues = new Map<string, string>();
    for (const vertex of found) byValues.set(foundMatchText(names.map((name) => vertex.get(name))), String(vertex.get('id')));
    return values.map((match) => byValues.get(matchText(match)));
  }

  /** CREATE mode, once per run and entry: a checkpoint of an unfinished run means a resume (MERGE); else the label must be empty. */
  private createGuard(info: BatchInfo, label: string): Promise<WriteMode> {
    const guards = this.createGuards.of(info.run);
    const id = JSON.stringify([info.entry, info.plan ?? '']);
    let guard = guards.get(id);
    if (!guard) {
      guard = (async (): Promise<WriteMode> => {
        // a checkpoint of an unfinished run (read, or saved by this writer since): a resume
        if (info.plan) {
          const progress = this.progressOf(info.plan, info.entry);
          await progress.state;
          if (progress.stored) return 'merge';
        }
        if (await this.labelPresent(info, label)) {
          throw new Pg2GraphError(
            'WRITE_TARGET_NOT_EMPTY',
            `CREATE mode refuses entry "${info.entry}": the target already holds vertices labelled "${label}", and no checkpoint of an unfinished run of this plan covers the entry. Use MERGE mode, or write into an empty graph.`,
            { entry: info.entry, run: info.run },
          );
        }
        return 'create';
      })();
      guard.catch(() => guards.delete(id));
      guards.set(id, guard);
    }
    return guard;
  }

  /**
   * Whether the graph holds vertices of the label, asked once per run: the first question of a run also asks about
   * every other label the writer knows and has not asked about yet, in one request (without an index on labels,
   * as in TinkerGraph, each question is a scan of every vertex).
   */
  private labelPresent(info: BatchInfo, label: string): Promise<boolean> {
    const asked = this.labelsPresent.of(info.run);
    const known = asked.get(label);
    if (known) return known;
    const labels = [...new Set([label, ...this.knownKeys.keys()])].filter((name) => !asked.has(name));
    const present = this.request(
      (g) =>
        g
          .V()
          .hasLabel(...labels)
          .label()
          .dedup(),
      `the CREATE check of entry "${info.entry}"`,
    ).then((found) => new Set(found as string[]));
    for (const name of labels) {
      const answer = present.then((found) => found.has(name));
      answer.catch(() => asked.delete(name));
      asked.set(name, answer);
    }
    return asked.get(label)!;
  }

  /** The entry's progress, its stored checkpoint read on first use. */
  private progressOf(planKey: string, entry: string): EntryProgress {
    const id = JSON.stringify([planKey, entry]);
    let progress = this.progress.get(id);
    if (!progress) {
      const created: EntryProgress = { state: Promise.resolve(EMPTY_CHECKPOINT), stored: false };
      created.state = this.checkpoints.readState(planKey, entry).then((stored) => {
        if (stored) created.stored = true;
        return stored ?? EMPTY_CHECKPOINT;
      });
      created.state.catch(() => this.progress.delete(id));
      progress = created;
      this.progress.set(id, progress);
    }
    return progress;
  }

  /** After the batch was written: the entry's checkpoint advanced and saved, after the saves before it. */
  private async advance(info: BatchInfo): Promise<EntryCheckpoint | undefined> {
    const planKey = info.plan;
    if (!planKey) return undefined;
    const progress = this.progressOf(planKey, info.entry);
    let saved: EntryCheckpoint | undefined;
    const next = progress.state.then(async (state) => {
      const advanced = advanceCheckpoint(state, info);
      saved = await this.checkpoints.save(planKey, info.entry, advanced);
      progress.stored = true;
      return advanced;
    });
    // a failed save leaves the stored state as it was: the next batch starts from what the graph holds
    progress.state = next.catch(() =>
      this.checkpoints.readState(planKey, info.entry).then((state) => {
        if (state) progress.stored = true;
        return state ?? EMPTY_CHECKPOINT;
      }),
    );
    try {
      await next;
    } catch (error) {
      throw new Pg2GraphError(
        'WRITE_FAILED',
        `${describeBatch(info)}: the batch was written but its checkpoint could not be saved: ${messageText(error)}; running again writes it again`,
        { entry: info.entry, batch: info.index, seq: info.seq, run: info.run },
        error,
      );
    }
    return saved;
  }

  private batchError(info: BatchInfo, rows: readonly unknown[][], keyLength: number, failure: unknown): Pg2GraphError {
    const error = failure instanceof RetryFailure ? failure.error : failure;
    const retries = failure instanceof RetryFailure ? failure.retries : 0;
    const where = `${describeBatch(info)} (${describeKeyRange(info, rows, keyLength)})`;
    const details = { entry: info.entry, batch: info.index, seq: info.seq, run: info.run, firstKey: info.firstKey, lastKey: info.lastKey, retries };
    if (isPg2GraphError(error) && (error.code === 'WRITE_ABORTED' || error.code === 'GREMLIN_CLOSED')) {
      return new Pg2GraphError('WRITE_ABORTED', `${where}: ${error.message}`, { ...details, ...error.details }, error);
    }
    const translated = this.connection.translate(error);
    if (/already exists/i.test(translated.message)) {
      return new Pg2GraphError('WRITE_KEY_CONFLICT', `${where}: CREATE mode met an element the graph already holds: ${translated.message}`, details, error);
    }
    if (failure instanceof RetryFailure && failure.transient) {
      return new Pg2GraphError('WRITE_RETRIES_EXHAUSTED', `${where} failed after ${retries} retries: ${translated.message}`, details, error);
    }
    if (isPg2GraphError(error) && error.code === 'WRITE_TIMEOUT') return new Pg2GraphError('WRITE_TIMEOUT', `${where}: ${error.message}`, details, error);
    return new Pg2GraphError('WRITE_FAILED', `${where}: ${translated.message}`, { ...details, code: translated.code }, error);
  }
}

function answerOf(result: Array<Map<string, unknown>>): WriteAnswer {
  const map = result[0];
  const number = (value: unknown) => (value === undefined || value === null ? 0 : Number((value as { toString(): string }).toString()));
  return { rows: number(map?.get('rows')), before: number(map?.get('before')) };
}

function countProperties(rows: readonly ElementRow[]): number {
  return rows.reduce((sum, row) => sum + row.properties.filter((value) => value !== undefined).length, 0);
}

function messageText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
