/**
 * fk -> edge: msg.payload RowBatch + msg.entry (a plan's relationship entry) + msg.ends (both ends' labels and
 * key mappings, set by the read node; or msg.plan to derive them) -> msg.payload RelationshipBatch.
 * msg.entry and msg.ends are kept. The engine does the shaping; rows it rejects go out on the second output
 * (lib/rejects-output).
 */
import { Pg2GraphError } from '../engine/core';
import type { GraphPlan, RelationshipEntry } from '../engine/plan';
import { isRelationshipEntry, relationshipEnds, type RelationshipEnds } from '../engine/plan';
import type { RowBatch } from '../engine/core';
import { shapeRelationships } from '../engine/shape';
import { onInput } from './lib/node-input';
import type { NodeDef, NodeRedApi, RedNode } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { onInvalidSetting, rejectsMessage } from './lib/rejects-output';
import type { OnInvalid } from '../engine/core';

const TYPE = 'pg2graph-to-edge';

export = function register(RED: NodeRedApi): void {
  function ToEdge(this: RedNode, def: NodeDef & { onInvalid?: OnInvalid }) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new ThrottledStatus(node);
    const t = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);
    let batches = 0;
    let relationships = 0;
    let skipped = 0;
    let rejected = 0;

    onInput(
      node,
      (msg, send) => {
        // a run's control messages (runStart, runEnd) are for the writer: passed on untouched
        if (msg.control !== undefined) return send([msg, null]);
        const onInvalid = onInvalidSetting(def.onInvalid);
        const entry = msg.entry as RelationshipEntry | undefined;
        if (!entry || typeof entry !== 'object' || !isRelationshipEntry(entry)) {
          throw new Pg2GraphError('SHAPE_ENTRY_INVALID', t('errors.noRelationshipEntry'));
        }
        let ends = msg.ends as RelationshipEnds | undefined;
        if (ends === undefined && msg.plan && typeof msg.plan === 'object') ends = relationshipEnds(msg.plan as GraphPlan, entry);
        const shaped = shapeRelationships(entry, ends as RelationshipEnds, msg.payload as RowBatch, { onInvalid });
        batches++;
        relationships += shaped.rows.length;
        skipped += shaped.skippedNullMatch;
        rejected += shaped.rejects?.length ?? 0;
        msg.payload = shaped;
        status.set({ fill: rejected ? 'yellow' : 'green', shape: 'dot', text: t('status.shaped', { batches, relationships, skipped, rejected }) });
        send([msg, rejectsMessage(msg, shaped)]);
      },
      (error) => ({ fill: 'red', shape: 'ring', text: t('status.failed', { code: error.code }) }),
    );
    node.on('close', (_removed, done) => {
      status.clear();
      done();
    });
  }
  RED.nodes.registerType(TYPE, ToEdge);
};
