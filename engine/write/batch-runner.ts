/**
 * One batch, one transaction: the batch's statement, the lookup of relationship rows with a missing end, the
 * entry's checkpoint, then commit, within the batch timeout; retried while the failure is transient, and turned
 * into an error that names the entry, the batch, its key range and (when the server refused one) the offending row.
 */
import neo4j, { type Transaction } from 'neo4j-driver';
import type { CypherDialect } from '../cypher/dialects';
import { withDeadline } from '../core/deadline';
import { Pg2GraphError, isPg2GraphError } from '../core/errors';
import type { BatchInfo, Phase } from '../core/records';
import type { BoltCheckpoints, EntryCheckpoint } from '../run';
import { describeBatch, describeKeyRange } from './describe';
import { describeKey, keyTexts } from '../values/graph-text';
import { RetryFailure, withRetries, type RetryPolicy } from '../core/retry';
import type { RowStatement } from './statements';
import type { BatchWriteResult, MissingEndExample, WriteMode } from './target';
import type { BoltConnection, WriteHooks } from './bolt-types';

export interface BatchJob {
  kind: Phase;
  info: BatchInfo;
  rows: unknown[][];
  /** Leading row values that identify a row in messages (node key, or both ends' match values). */
  keyLength: number;
  fromLength: number;
  statement: RowStatement;
  missing?: RowStatement;
  mode: WriteMode;
  planKey?: string;
}

export interface BatchRunnerContext {
  connection: BoltConnection;
  cypher: CypherDialect;
  checkpoints: BoltCheckpoints;
  policy: RetryPolicy;
  hooks: WriteHooks;
  /** Rejects when the target gives up on batches in flight. */
  abandoned: Promise<never>;
  isClosed(): boolean;
  /** An attempt whose transaction has not committed by then fails with WRITE_TIMEOUT (batch-timeout.ts). */
  timeoutMs: number;
}

/** Set when an attempt's deadline passed: what the attempt does after that never commits. */
interface GivenUp {
  up: boolean;
}

const ROW_LEVEL_CODES = [
  'Neo.ClientError.Statement.TypeError',
  'Neo.ClientError.Statement.ArgumentError',
  'Neo.ClientError.Statement.SemanticError',
  'Neo.ClientError.Schema.ConstraintValidationFailed',
];
const MISSING_EXAMPLES = 5;
/** The server ended the transaction at the timeout it was begun with. */
const SERVER_TIMEOUT_CODES = ['Neo.ClientError.Transaction.TransactionTimedOut', 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration'];

function toNumber(value: unknown): number {
  return neo4j.isInt(value) ? value.toNumber() : Number(value ?? 0);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

export class BatchRunner {
  constructor(private readonly context: BatchRunnerContext) {}

  private get connection(): BoltConnection {
    return this.context.connection;
  }

  private get cypher(): CypherDialect {
    return this.context.cypher;
  }

  private get policy(): RetryPolicy {
    return this.context.policy;
  }

  private get hooks(): WriteHooks {
    return this.context.hooks;
  }

  /** One batch, one transaction (with its checkpoint), retried while the failure is transient. */
  async run(job: BatchJob): Promise<BatchWriteResult> {
    const params = { rows: job.statement.encode(job.rows) };
    try {
      const { value, retries } = await Promise.race([
        this.context.abandoned,
        withRetries(
          (attempt) => this.attemptWithin(job, params, attempt),
          this.policy,
          (error) => !isPg2GraphError(error) && !this.context.isClosed() && this.cypher.isTransient(error),
          (error, retry, delay) => this.hooks.onRetry?.({ kind: job.kind, entry: job.info.entry, index: job.info.index, attempt: retry + 1 }, error, delay),
        ),
      ]);
      return { ...value, retries };
    } catch (failure) {
      throw await this.batchError(job, failure);
    }
  }

  /**
   * One attempt within the batch timeout. When it passes, the attempt is given up: a frozen server may never
   * answer, so nothing waits for it any more, and whatever it answers later is rolled back, never committed (a
   * commit already sent commits entirely or not at all, with its checkpoint). On Neo4j the transaction is begun
   * with the same timeout, so the server ends it by itself once it runs again.
   */
  private attemptWithin(job: BatchJob, params: { rows: unknown[][] }, attempt: number): Promise<BatchWriteResult> {
    const given: GivenUp = { up: false };
    const timeoutMs = this.context.timeoutMs;
    return withDeadline(this.attempt(job, params, attempt, given), timeoutMs, () => {
      given.up = true;
      return timeoutError(timeoutMs);
    });
  }

  private async attempt(job: BatchJob, params: { rows: unknown[][] }, attempt: number, given: GivenUp): Promise<BatchWriteResult> {
    const session = this.connection.session('WRITE');
    let tx: Transaction | undefined;
    const stillWanted = () => {
      if (given.up) throw timeoutError(this.context.timeoutMs);
    };
    try {
      tx = session.beginTransaction(this.cypher.name === 'neo4j' ? { timeout: this.context.timeoutMs } : undefined);
      const main = await tx.run(job.statement.text, params);
      stillWanted();
      const counters = main.summary.counters.updates();
      let missingEnds = 0;
      let examples: MissingEndExample[] | undefined;
      if (job.kind === 'relationships') {
        const written = toNumber(main.records[0]?.get('written'));
        if (written < job.rows.length && job.missing) {
          const missing = await tx.run(job.missing.text, params);
          stillWanted();
          missingEnds = missing.records.length;
          examples = missing.records.slice(0, MISSING_EXAMPLES).map((record) => this.missingExample(job, record.toObject()));
        }
      }
      await this.hooks.afterWrite?.({ kind: job.kind, entry: job.info.entry, index: job.info.index, attempt });
      // last in the transaction, so the checkpoint's lock is held briefly
      const checkpoint: EntryCheckpoint | undefined = job.planKey ? await this.context.checkpoints.advance(tx, job.planKey, job.info) : undefined;
      stillWanted();
      await tx.commit();
      const nodesCreated = counters.nodesCreated ?? 0;
      return {
        mode: job.mode,
        nodesCreated,
        nodesMatched: job.kind === 'nodes' && job.mode === 'merge' ? Math.max(0, job.rows.length - nodesCreated) : 0,
        relationshipsCreated: counters.relationshipsCreated ?? 0,
        propertiesWritten: counters.propertiesSet ?? 0,
        missingEnds,
        retries: 0,
        ...(examples ? { missingEndExamples: examples } : {}),
        ...(checkpoint ? { checkpoint } : {}),
      };
    } catch (error) {
      if (tx?.isOpen()) await tx.rollback().catch(() => undefined);
      throw error;
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  private missingExample(job: BatchJob, record: Record<string, unknown>): MissingEndExample {
    const row = toNumber(record.row);
    const values = job.rows[row] ?? [];
    const hasStart = record.hasStart === true;
    const hasEnd = record.hasEnd === true;
    return {
      row,
      from: keyTexts(values.slice(0, job.fromLength)),
      to: keyTexts(values.slice(job.fromLength, job.keyLength)),
      missing: !hasStart && !hasEnd ? 'both' : !hasStart ? 'from' : 'to',
    };
  }

  /** The error of a failed batch: entry, batch index and key range; the offending row when the server refused one. */
  private async batchError(job: BatchJob, failure: unknown): Promise<Pg2GraphError> {
    const error = failure instanceof RetryFailure ? failure.error : failure;
    const retries = failure instanceof RetryFailure ? failure.retries : 0;
    const where = `${describeBatch(job.info)} (${describeKeyRange(job.info, job.rows, job.keyLength)})`;
    const details = {
      entry: job.info.entry,
      batch: job.info.index,
      seq: job.info.seq,
      run: job.info.run,
      firstKey: job.info.firstKey,
      lastKey: job.info.lastKey,
      retries,
      neo4jCode: codeOf(error) || undefined,
    };
    if (isPg2GraphError(error)) {
      const code = error.code === 'NEO4J_CLOSED' || error.code === 'WRITE_ABORTED' ? 'WRITE_ABORTED' : error.code;
      return new Pg2GraphError(code, `${where}: ${error.message}`, { ...details, ...error.details }, error);
    }
    const message = this.connection.translate(error).message;
    if (SERVER_TIMEOUT_CODES.includes(codeOf(error))) {
      return new Pg2GraphError('WRITE_TIMEOUT', `${where}: ${timeoutError(this.context.timeoutMs).message} (the server ended it: ${message})`, details, error);
    }
    if (failure instanceof RetryFailure && failure.transient) {
      return new Pg2GraphError('WRITE_RETRIES_EXHAUSTED', `${where} failed after ${retries} retries: ${message}`, details, error);
    }
    if (ROW_LEVEL_CODES.includes(codeOf(error)) && job.rows.length) {
      const row = await this.locateRefusedRow(job).catch(() => undefined);
      if (row !== undefined) {
        const key = describeKey(job.rows[row].slice(0, job.keyLength));
        const code = codeOf(error) === 'Neo.ClientError.Schema.ConstraintValidationFailed' ? 'WRITE_KEY_CONFLICT' : 'WRITE_VALUE_REFUSED';
        return new Pg2GraphError(code, `${where}: the target refused row ${row} (key ${key}): ${message}`, { ...details, row }, error);
      }
    }
    return new Pg2GraphError('WRITE_FAILED', `${where}: ${message}`, details, error);
  }

  /**
   * Finds the first row the server refuses by bisection: halves of the batch run in transactions that are
   * always rolled back, so nothing is written (about log2(rows) transactions, only after a failure).
   */
  private async locateRefusedRow(job: BatchJob): Promise<number | undefined> {
    const refuses = async (from: number, to: number): Promise<boolean> => {
      const session = this.connection.session('WRITE');
      const tx = session.beginTransaction();
      try {
        await tx.run(job.statement.text, { rows: job.statement.encode(job.rows.slice(from, to)) });
        return false;
      } catch (error) {
        if (ROW_LEVEL_CODES.includes(codeOf(error))) return true;
        throw error;
      } finally {
        if (tx.isOpen()) await tx.rollback().catch(() => undefined);
        await session.close().catch(() => undefined);
      }
    };
    let from = 0;
    let to = job.rows.length;
    while (to - from > 1) {
      const middle = from + Math.ceil((to - from) / 2);
      if (await refuses(from, middle)) to = middle;
      else from = middle;
    }
    return (await refuses(from, to)) ? from : undefined;
  }
}

/** The batch's transaction, or a statement of the writer's own, has not finished within the batch timeout. */
export function timeoutError(timeoutMs: number, what = 'the transaction did not commit'): Pg2GraphError {
  return new Pg2GraphError(
    'WRITE_TIMEOUT',
    `${what} within ${timeoutMs} ms (the writer's batch timeout: pg2graph migrate --batch-timeout-ms, graph write's "Batch timeout"): the server is stalled, frozen or overloaded; ` +
      'the work was given up, and a batch commits entirely or not at all, its checkpoint with it, so running again resumes',
    { timeoutMs },
  );
}
