/**
 * The messages a writer node (graph write, graph export) takes from pg read and what it answers: record batches,
 * run control messages (runStart with the plan, runEnd) and the acknowledgements that go back to pg read.
 */
import { Pg2GraphError, pickStats, type Acknowledgement, type BatchInfo, type RecordBatch, type RunControl, type WriteStats } from '../../engine/core';
import { shapingCounts } from '../../engine/shape';
import { assertValidPlan, planFingerprint, type ValidPlan } from '../../engine/plan';
import { asTyped } from '../lib/node-input';
import type { NodeMessage, NodeStatus, RedNode, SendFn, Translate } from '../lib/red';
import type { ThrottledStatus } from '../lib/throttled-status';

export function isRecordBatch(payload: unknown): payload is RecordBatch {
  const kind = (payload as { kind?: unknown } | null)?.kind;
  return kind === 'nodes' || kind === 'relationships';
}

export function isControl(value: unknown): value is RunControl {
  const control = value as Partial<RunControl> | null;
  return (
    !!control &&
    (control.kind === 'runStart' || control.kind === 'runEnd') &&
    typeof control.run === 'string' &&
    typeof control.seq === 'number' &&
    typeof control.plan === 'string'
  );
}

/** The run and seq of a malformed control message, when it has them (so it can still be answered). */
export function controlIdentity(value: unknown): { run: string; seq: number } | undefined {
  const given = value as Partial<RunControl> | null;
  return given && typeof given.run === 'string' && typeof given.seq === 'number' ? { run: given.run, seq: given.seq } : undefined;
}

/** run and seq are what the reader needs to match an acknowledgement; without them none can be sent. */
export function ackable(info: Partial<BatchInfo> | undefined): info is BatchInfo {
  return !!info && typeof info.run === 'string' && typeof info.seq === 'number';
}

export const ackMessage = (topic: string, ack: Acknowledgement): NodeMessage => ({ topic, ack });

/** The acknowledgement of a batch or control message that failed (`entry` for a batch). */
export function failedAck(topic: string, identity: { run: string; seq: number; entry?: string }, error: Pg2GraphError): NodeMessage {
  const { run, seq, entry } = identity;
  return ackMessage(topic, { run, seq, ...(entry !== undefined ? { entry } : {}), ok: false, error: { code: error.code, message: error.message } });
}

/**
 * The plan of a runStart: there, valid, and the very plan whose fingerprint the run's batches carry. The
 * messages come from the node's catalog (`t`): errors.runStartWithoutPlan and errors.planChanged.
 */
export function runStartPlan(msg: NodeMessage, message: RunControl, t: Translate): ValidPlan {
  if (msg.plan === undefined) throw new Pg2GraphError('WRITE_INPUT_INVALID', t('errors.runStartWithoutPlan', { run: message.run }));
  const plan = assertValidPlan(msg.plan);
  const key = planFingerprint(plan);
  if (key !== message.plan) throw new Pg2GraphError('WRITE_INPUT_INVALID', t('errors.planChanged', { run: message.run, expected: message.plan, found: key }));
  return plan;
}

/** A malformed msg.control: answered when it says which run and message it is, then refused (errors.controlInvalid). */
export function refuseControl(control: unknown, send: (msg: NodeMessage) => void, t: Translate): never {
  const error = new Pg2GraphError('WRITE_INPUT_INVALID', t('errors.controlInvalid', { control: JSON.stringify(control) }));
  const given = controlIdentity(control);
  if (given) send(failedAck('control', given, error));
  throw error;
}

export interface AnswerOptions {
  /** Sends an acknowledgement on the node's first output. */
  send: (ack: NodeMessage) => void;
  /** The error that answers every message once the node is closed (a redeploy, a stop), else undefined. */
  closed: () => Pg2GraphError | undefined;
  /** Told of a failure before it is answered (the node's status, its totals). */
  failed?: (error: Pg2GraphError) => void;
}

/**
 * Does the work of a batch or control message, answering it on failure: ok: false with the error, which is then
 * thrown on (done(err): Catch nodes see it). Once the node closed, the answer is failed whatever the work did:
 * a message answered "written" after close would let pg read send the next one to a writer that is gone. The
 * ok answer is the caller's, with the work's result. Without `identity` (run and seq) nothing can be answered.
 */
export async function answering<T>(
  topic: string,
  identity: { run: string; seq: number; entry?: string } | undefined,
  work: () => Promise<T>,
  options: AnswerOptions,
): Promise<T> {
  const fail = (error: Pg2GraphError): never => {
    options.failed?.(error);
    if (identity) options.send(failedAck(topic, identity, error));
    throw error;
  };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    return fail(asTyped(error));
  }
  const closed = options.closed();
  return closed ? fail(closed) : result;
}

/**
 * How a writer node answers a batch (with its entry) or a control message that fails or arrives after close: on
 * output 1 of two, and once closed with WRITE_ABORTED from the node's catalog (errors.closed; for a batch whose
 * write finished, errors.closedWhileWriting: it is in place with its checkpoint, but the run stops).
 */
export function writerAnswers(
  send: SendFn,
  entry: string | undefined,
  node: { isClosed: () => boolean; text: Translate; failed: (error: Pg2GraphError) => void },
): AnswerOptions {
  return {
    send: (ack) => send([ack, null]),
    closed: () => {
      if (!node.isClosed()) return undefined;
      return entry === undefined
        ? new Pg2GraphError('WRITE_ABORTED', node.text('errors.closed'))
        : new Pg2GraphError('WRITE_ABORTED', node.text('errors.closedWhileWriting'), { entry, committed: true });
    },
    failed: node.failed,
  };
}

/** A writer node's status after a failed message: a red ring with the code (a pending totals update dropped). */
export function failureStatus(status: ThrottledStatus, text: Translate): (error: Pg2GraphError) => NodeStatus {
  return (error) => {
    status.clear();
    return { fill: 'red', shape: 'ring', text: text('status.failed', { code: error.code }) };
  };
}

/**
 * A writer node's close (a redeploy, a stop): `closing` marks the node closed and closes its target, which gives
 * the writes still in flight a short wait; Node-RED hears done either way, so a redeploy is never held up.
 */
export function onWriterClose(node: RedNode, status: ThrottledStatus, closing: () => Promise<void>): void {
  node.on('close', (_removed, done) => {
    status.clear();
    closing().then(
      () => done(),
      () => done(),
    );
  });
}

export interface WrittenBatch<R> {
  info: Partial<BatchInfo> | undefined;
  entry: string;
  result: R;
  stats: WriteStats;
  /** The acknowledgement message for output 1 (without msg.ack when the batch has no run and seq). */
  out: NodeMessage;
}

/**
 * Writes a batch through `write` and builds its answer: `{ run, seq, entry, ok: true, stats }` with the shaper's
 * counts once written; a failure or a close is answered by `answering` with the options for the batch's entry.
 */
export async function writeAnswered<R extends WriteStats>(
  batch: RecordBatch,
  write: (info: Partial<BatchInfo> | undefined) => Promise<R>,
  options: (entry: string) => AnswerOptions,
): Promise<WrittenBatch<R>> {
  const info = batch.batch as Partial<BatchInfo> | undefined;
  const entry = typeof info?.entry === 'string' ? info.entry : '';
  const result = await answering(entry, ackable(info) ? { run: info.run, seq: info.seq, entry } : undefined, () => write(info), options(entry));
  const stats = pickStats(result);
  const out: NodeMessage = { topic: entry };
  if (ackable(info)) out.ack = { run: info.run, seq: info.seq, entry, ok: true, stats, ...shapingCounts(batch) } satisfies Acknowledgement;
  return { info, entry, result, stats, out };
}
