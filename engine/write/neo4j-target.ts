/**
 * The GraphTarget over Bolt (Neo4j first-class; Memgraph and Neptune through their dialects): constraints
 * first, several node batches at once and relationship batches in order (each one transaction with its
 * checkpoint: batch-runner.ts), CREATE mode's guard against a non-empty target, checkpoints and close.
 */
import type { GraphDialect } from '../connect/neo4j-settings';
import { Pg2GraphError, isPg2GraphError } from '../core/errors';
import type { GraphPlan } from '../plan/types';
import { assertValidPlan } from '../plan/validate';
import type { BatchInfo, NodeBatch, Phase, RelationshipBatch } from '../core/records';
import { BatchRunner, timeoutError } from './batch-runner';
import { checkBatchTimeout, DEFAULT_BATCH_TIMEOUT_MS } from './batch-timeout';
import { settlesWithin, withDeadline } from '../core/deadline';
import { createKeySchema, createMatchSchema, runInSession, verifyKeys, type RunAuto } from './bolt-schema';
import { BoltCheckpoints, CHECKPOINT_KEY, type EntryCheckpoint } from '../run';
import { guardStatementsOf, type GuardStatements, type PhaseFindings } from './create-guards';
import { dialectFor, type CypherDialect, type KeySpec, type MatchSpec } from '../cypher/dialects';
import { Limiter } from './limiter';
import { DEFAULT_RETRY_POLICY, RetryFailure, withRetries, type RetryPolicy } from '../core/retry';
import { checkNodeBatch, checkRelationshipBatch } from './row-check';
import { planSchema } from './schema-spec';
import { sameMembers } from '../core/sets';
import { integerSetting } from '../core/settings';
import { onceUnlessFailed, PerRun } from '../core/memo';
import {
  missingEndsStatement,
  nodeWriteStatement,
  nodesExistStatement,
  relationshipWriteStatement,
  relationshipsExistStatement,
  type RelationshipShape,
} from './statements';
import type { BatchWriteResult, GraphTarget, WriteMode } from './target';
import type { BoltConnection, WriteHooks } from './bolt-types';

export interface Neo4jTargetOptions {
  /** Node batches written at once (default 4). */
  concurrency?: number;
  /** Relationship batches written at once (default 1: in arrival order, so they never contend for locks). */
  relationshipConcurrency?: number;
  /** Retries of a transient failure per batch (default 5). */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Create the key constraint / lookup index for labels no prepared plan covered (default true). */
  autoSchema?: boolean;
  /**
   * Milliseconds within which a batch's transaction must commit, and each statement of the writer's own
   * (constraints, checkpoint reads) must answer; else WRITE_TIMEOUT and the work is given up (default 60,000).
   */
  batchTimeoutMs?: number;
  hooks?: WriteHooks;
}

function writerSetting(value: number, setting: string, min: number): number {
  return integerSetting(value, { code: 'WRITE_SETTING_INVALID', setting, what: `Writer setting "${setting}"`, min });
}

export class Neo4jTarget implements GraphTarget {
  readonly dialect: GraphDialect;
  readonly checkpoints: BoltCheckpoints;
  private readonly cypher: CypherDialect;
  private readonly nodeSlots: Limiter;
  private readonly relationshipSlots: Limiter;
  private readonly policy: RetryPolicy;
  private readonly autoSchema: boolean;
  private readonly hooks: WriteHooks;
  /** Primary label -> key properties, from prepared plans and written node batches. */
  private readonly knownKeys = new Map<string, string[]>();
  private readonly schemaWork = new Map<string, Promise<string[]>>();
  /** CREATE mode's answers, per run (forgotten when the run finishes, or once newer runs came). */
  private readonly createGuards = new PerRun<Promise<WriteMode>>();
  private readonly phaseFindings = new PerRun<Promise<PhaseFindings>>();
  /** Guard statements of the plan last prepared: CREATE mode checks all entries of a phase at once. */
  private guardStatements?: GuardStatements;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  /** Rejects when close() stops waiting: batches still in flight then fail with WRITE_ABORTED. */
  private readonly abandoned: Promise<never>;
  private abandon!: (error: Pg2GraphError) => void;
  private readonly runner: BatchRunner;
  private readonly timeoutMs: number;

  constructor(
    private readonly connection: BoltConnection,
    options: Neo4jTargetOptions = {},
  ) {
    this.dialect = connection.dialect;
    this.cypher = dialectFor(this.dialect);
    this.nodeSlots = new Limiter(writerSetting(options.concurrency ?? 4, 'concurrency', 1));
    this.relationshipSlots = new Limiter(writerSetting(options.relationshipConcurrency ?? 1, 'relationshipConcurrency', 1));
    const maxRetries = writerSetting(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries, 'maxRetries', 0);
    this.policy = {
      maxRetries,
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    };
    this.autoSchema = options.autoSchema ?? true;
    this.timeoutMs = checkBatchTimeout(
      options.batchTimeoutMs ?? DEFAULT_BATCH_TIMEOUT_MS,
      'WRITE_SETTING_INVALID',
      'batchTimeoutMs',
      'Writer setting "batchTimeoutMs"',
    );
    this.hooks = options.hooks ?? {};
    this.abandoned = new Promise<never>((_, reject) => {
      this.abandon = reject;
    });
    this.abandoned.catch(() => undefined);
    this.checkpoints = new BoltCheckpoints((text, params, mode) => this.runAuto(text, params, mode), this.cypher.keyedById);
    this.runner = new BatchRunner({
      connection,
      cypher: this.cypher,
      checkpoints: this.checkpoints,
      policy: this.policy,
      hooks: this.hooks,
      abandoned: this.abandoned,
      isClosed: () => this.closed,
      timeoutMs: this.timeoutMs,
    });
  }

  /** Key constraints for every node entry, lookup indexes for non-key relationship matches, the checkpoint key. */
  async prepare(given: GraphPlan): Promise<{ statements: string[] }> {
    this.checkOpen();
    const plan = assertValidPlan(given);
    const schema = planSchema(plan);
    const statements: string[] = [];
    // keys before lookups: on Neo4j a plain index on a key's properties would block its constraint
    statements.push(...(await this.ensureKeys([...schema.keys, CHECKPOINT_KEY])));
    for (const spec of schema.matches) statements.push(...(await this.ensureMatch(spec)));
    this.guardStatements = guardStatementsOf(plan);
    return { statements };
  }

  async writeNodes(batch: NodeBatch, mode: WriteMode): Promise<BatchWriteResult> {
    checkMode(mode);
    checkNodeBatch(batch);
    this.checkOpen();
    const info = batch.batch;
    const planKey = info.plan;
    return this.track(
      this.nodeSlots.run(async () => {
        this.checkOpen();
        if (this.autoSchema) await this.ensureKey({ label: batch.labels[0], key: batch.key });
        else this.knownKeys.set(batch.labels[0], [...batch.key]);
        if (planKey) await this.ensureKey(CHECKPOINT_KEY);
        const effective =
          mode === 'create'
            ? await this.createGuard('nodes', info, planKey, nodesExistStatement(batch.labels), `nodes labelled ${batch.labels.map((l) => `:${l}`).join('')}`)
            : 'merge';
        return this.runner.run({
          kind: 'nodes',
          info,
          rows: batch.rows,
          keyLength: batch.key.length,
          fromLength: batch.key.length,
          statement: nodeWriteStatement(this.cypher, batch, effective),
          mode: effective,
          planKey,
        });
      }),
    );
  }

  async writeRelationships(batch: RelationshipBatch, mode: WriteMode): Promise<BatchWriteResult> {
    checkMode(mode);
    checkRelationshipBatch(batch);
    this.checkOpen();
    const info = batch.batch;
    const planKey = info.plan;
    return this.track(
      this.relationshipSlots.run(async () => {
        this.checkOpen();
        for (const end of [batch.from, batch.to]) {
          const key = this.knownKeys.get(end.labels[0]);
          if (this.autoSchema && !(key && sameMembers(key, end.match))) await this.ensureMatch({ label: end.labels[0], properties: end.match });
        }
        if (planKey) await this.ensureKey(CHECKPOINT_KEY);
        const shape: RelationshipShape = {
          type: batch.type,
          from: { ...batch.from, key: this.knownKeys.get(batch.from.labels[0]) },
          to: { ...batch.to, key: this.knownKeys.get(batch.to.labels[0]) },
          columns: batch.columns,
        };
        const effective =
          mode === 'create'
            ? await this.createGuard(
                'relationships',
                info,
                planKey,
                relationshipsExistStatement(shape),
                `relationships :${batch.type} from :${batch.from.labels.join(':')} to :${batch.to.labels.join(':')}`,
              )
            : 'merge';
        return this.runner.run({
          kind: 'relationships',
          info,
          rows: batch.rows,
          keyLength: batch.from.match.length + batch.to.match.length,
          fromLength: batch.from.match.length,
          statement: relationshipWriteStatement(this.cypher, shape, effective),
          missing: missingEndsStatement(this.cypher, shape),
          mode: effective,
          planKey,
        });
      }),
    );
  }

  async finishRun(planKey: string, entries?: readonly string[], run?: string): Promise<void> {
    this.checkOpen();
    await this.checkpoints.clear(planKey, entries);
    if (run !== undefined) {
      this.createGuards.forget(run);
      this.phaseFindings.forget(run);
    }
  }

  /**
   * Stops taking batches: queued ones fail with WRITE_ABORTED. Waits up to maxWaitMs for the ones in flight
   * (a transaction whose driver was closed under it never hears back), then fails those with WRITE_ABORTED too.
   * A batch given up this way commits entirely or not at all; its checkpoint commits with it.
   */
  async close(maxWaitMs = 10_000): Promise<void> {
    this.closed = true;
    await settlesWithin(Promise.allSettled([...this.inFlight]), maxWaitMs);
    if (this.inFlight.size) {
      this.abandon(
        new Pg2GraphError(
          'WRITE_ABORTED',
          'The graph writer was closed while the batch was in flight; it commits entirely or not at all (its checkpoint tells which)',
        ),
      );
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Batches accepted and not yet settled (running or queued). */
  get pending(): number {
    return this.inFlight.size;
  }

  private checkOpen(): void {
    if (this.closed) throw new Pg2GraphError('WRITE_ABORTED', 'The graph writer was closed; the batch was not written');
  }

  /**
   * Counts a batch as in flight until it settles, or until close() gives up on it: whatever it waits for then (a
   * slot, schema work or its transaction on a driver closed under it, which may never answer), it fails with
   * WRITE_ABORTED, so close() always ends.
   */
  private track<T>(work: Promise<T>): Promise<T> {
    const tracked = Promise.race([work, this.abandoned]);
    this.inFlight.add(tracked);
    const forget = () => this.inFlight.delete(tracked);
    tracked.then(forget, forget);
    return tracked;
  }

  private runAuto: (text: string, params?: Record<string, unknown>, mode?: 'READ' | 'WRITE') => Promise<Array<Record<string, unknown>>> = async (
    text,
    params = {},
    mode = 'WRITE',
  ) => {
    try {
      const { value } = await withRetries(
        () =>
          withDeadline(runInSession(this.connection.session(mode), text, params), this.timeoutMs, () =>
            timeoutError(this.timeoutMs, `Neo4j did not answer the writer's statement "${text.split('\n')[0].slice(0, 80)}"`),
          ),
        this.policy,
        (e) => this.cypher.isTransient(e),
      );
      return value;
    } catch (failure) {
      throw failure instanceof RetryFailure ? failure.error : failure;
    }
  };

  /** Once per (label, key): the key's constraint (and index); on Neo4j verified afterwards. */
  private ensureKey(spec: KeySpec): Promise<string[]> {
    return this.ensureKeys([spec]);
  }

  /**
   * Creates the keys this target has not made yet, one after another, then checks them all with one schema
   * listing (a round trip per key saved on a plan of many tables). A key counts as made only once checked.
   */
  private ensureKeys(specs: readonly KeySpec[]): Promise<string[]> {
    const byId = new Map<string, KeySpec>();
    for (const spec of specs) {
      this.knownKeys.set(spec.label, [...spec.key]);
      if (!byId.has(keyWorkId(spec))) byId.set(keyWorkId(spec), spec);
    }
    const fresh = [...byId].filter(([id]) => !this.schemaWork.has(id)).map(([, spec]) => spec);
    if (fresh.length) {
      const run: RunAuto = (text, params) => this.runAuto(text, params);
      const made = (async () => {
        const statements: string[][] = [];
        for (const spec of fresh) {
          statements.push(
            await createKeySchema(run, this.cypher, spec).catch((error) => {
              throw this.schemaError(error, describeKey(spec));
            }),
          );
        }
        await verifyKeys(run, this.cypher, fresh).catch((error) => {
          throw this.schemaError(error, fresh.map(describeKey).join(', '));
        });
        return statements;
      })();
      fresh.forEach((spec, i) => void this.once(keyWorkId(spec), () => made.then((statements) => statements[i])));
    }
    return Promise.all([...byId.keys()].map((id) => this.schemaWork.get(id)!)).then((all) => all.flat());
  }

  private ensureMatch(spec: MatchSpec): Promise<string[]> {
    return this.once(JSON.stringify(['match', spec.label, [...spec.properties].sort()]), async () => {
      try {
        return await createMatchSchema((text, params) => this.runAuto(text, params), this.cypher, spec);
      } catch (error) {
        throw this.schemaError(error, `the lookup index ${spec.label}(${spec.properties.join(', ')})`);
      }
    });
  }

  /** Memoizes schema work; a failure is forgotten so the next batch tries again. */
  private once(id: string, work: () => Promise<string[]>): Promise<string[]> {
    return onceUnlessFailed(this.schemaWork, id, work);
  }

  private schemaError(error: unknown, what: string): Pg2GraphError {
    if (isPg2GraphError(error) && error.code.startsWith('WRITE_')) return error;
    const translated = this.connection.translate(error);
    return new Pg2GraphError('WRITE_SCHEMA_FAILED', `Creating ${what} failed: ${translated.message}`, { ...translated.details }, error);
  }

  /**
   * CREATE mode, once per run and entry: a checkpoint of an unfinished run means this is a resume, and the
   * entry is written with MERGE (batches committed beyond the checkpoint's gap must not be created twice);
   * otherwise the target must not hold the entry's nodes (or relationships) yet.
   */
  private createGuard(kind: Phase, info: BatchInfo, planKey: string | undefined, existsStatement: string, what: string): Promise<WriteMode> {
    const id = JSON.stringify([kind, info.entry, planKey ?? '']);
    const guards = this.createGuards.of(info.run);
    let guard = guards.get(id);
    if (!guard) {
      const planned = this.guardStatements?.[kind];
      // the plan's statement is used only when the batch asks the very same question (to-node may relabel an entry)
      const findings =
        planned?.get(info.entry) === existsStatement
          ? this.findingsOfPhase(kind, info.run, planKey, planned)
          : this.readFindings(planKey, new Map([[info.entry, existsStatement]]));
      guard = findings.then(({ checkpointed, present }): WriteMode => {
        if (checkpointed.has(info.entry)) return 'merge';
        if (present.has(info.entry)) {
          throw new Pg2GraphError(
            'WRITE_TARGET_NOT_EMPTY',
            `CREATE mode refuses entry "${info.entry}": the target already holds ${what}, and no checkpoint of an unfinished run of this plan covers the entry. Use MERGE mode, or write into an empty database.`,
            { entry: info.entry, run: info.run },
          );
        }
        return 'create';
      });
      guards.set(id, guard);
    }
    return guard;
  }

  /** Every entry of a phase, once per run, before the phase's first batch is written: what is found was there before the run. */
  private findingsOfPhase(kind: Phase, run: string, planKey: string | undefined, statements: Map<string, string>): Promise<PhaseFindings> {
    const id = JSON.stringify([kind, planKey ?? '']);
    return onceUnlessFailed(this.phaseFindings.of(run), id, () => this.readFindings(planKey, statements));
  }

  /** The plan's checkpoints in one read, beside the entries' exists statements a few at a time. */
  private async readFindings(planKey: string | undefined, statements: Map<string, string>): Promise<PhaseFindings> {
    const checkpoints = planKey ? this.checkpoints.read(planKey) : Promise.resolve(new Map<string, EntryCheckpoint>());
    checkpoints.catch(() => undefined); // awaited below; a failing exists read must not leave it unhandled
    const present = new Set<string>();
    const pending = [...statements];
    for (let i = 0; i < pending.length; i += GUARD_READS_AT_ONCE) {
      await Promise.all(
        pending.slice(i, i + GUARD_READS_AT_ONCE).map(async ([entry, text]) => {
          if ((await this.runAuto(text, {}, 'READ')).length) present.add(entry);
        }),
      );
    }
    return { checkpointed: new Set((await checkpoints).keys()), present };
  }
}

function checkMode(mode: unknown): asserts mode is WriteMode {
  if (mode !== 'merge' && mode !== 'create') {
    throw new Pg2GraphError('WRITE_SETTING_INVALID', `Write mode must be "merge" or "create", got ${JSON.stringify(mode)}`, { setting: 'mode' });
  }
}

/** Guard reads sent together when a phase begins (a plan may have hundreds of entries). */
const GUARD_READS_AT_ONCE = 8;

function keyWorkId(spec: KeySpec): string {
  return JSON.stringify(['key', spec.label, [...spec.key].sort()]);
}

function describeKey(spec: KeySpec): string {
  return `the key ${spec.label}(${spec.key.join(', ')})`;
}
