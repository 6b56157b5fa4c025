/**
 * The second output of row -> node and fk -> edge: the rows the shaper rejected (a value its rule cannot hold,
 * a NULL key), one message per batch that had any, so a flow can log, store or alert on them.
 */
import { checkOnInvalid } from '../../engine/shape';
import type { OnInvalid, RecordBatch } from '../../engine/core';
import type { NodeMessage } from './red';

/** The node's onInvalid setting: "reject" when not set (older flows), refused by name when it is anything else. */
export function onInvalidSetting(value: unknown): OnInvalid {
  if (value === undefined || value === '') return 'reject';
  checkOnInvalid(value);
  return value as OnInvalid;
}

/** `{ topic, payload: rejects, rejects, entry, batch }` for a batch with rejected rows, else null (nothing sent). */
export function rejectsMessage(msg: NodeMessage, shaped: RecordBatch): NodeMessage | null {
  if (!shaped.rejects?.length) return null;
  const entry = shaped.batch?.entry ?? shaped.rejects[0].entry;
  return { _msgid: msg._msgid, topic: entry, payload: shaped.rejects, rejects: shaped.rejects, entry, batch: shaped.batch };
}
