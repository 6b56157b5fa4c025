/**
 * row -> node: msg.payload RowBatch + msg.entry (a plan's node entry) -> msg.payload NodeBatch. The node's own
 * settings (label, key columns, rules, computed properties) refine msg.entry, or make the mapping when there
 * is none. msg.entry is kept (the writer and debugging use it). The engine does the shaping; rows it rejects
 * go out on the second output (lib/rejects-output).
 */
import { Pg2GraphError } from '../engine/core';
import type { ComputedProperty, NodeEntry } from '../engine/plan';
import type { ValueRule } from '../engine/values';
import { isRelationshipEntry } from '../engine/plan';
import type { OnInvalid, RowBatch } from '../engine/core';
import { shapeNodes, nodeEntryFromSettings, refineNodeEntry, type NodeMappingSettings } from '../engine/shape';
import { onInput } from './lib/node-input';
import type { NodeDef, NodeRedApi, RedNode, Translate } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { onInvalidSetting, rejectsMessage } from './lib/rejects-output';

const TYPE = 'pg2graph-to-node';

interface ToNodeDef extends NodeDef {
  label?: string;
  key?: string;
  rules?: string;
  computed?: string;
  onInvalid?: OnInvalid;
}

function parseJson<T>(text: string | undefined, setting: string, fallback: T, t: Translate): T {
  if (!text || !text.trim()) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Pg2GraphError('SHAPE_MAPPING_INVALID', t('errors.settingNotJson', { setting, message: (error as Error).message }), { setting });
  }
}

export = function register(RED: NodeRedApi): void {
  function ToNode(this: RedNode, def: ToNodeDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new ThrottledStatus(node);
    const t = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);
    let batches = 0;
    let records = 0;
    let rejected = 0;

    const settings = (): NodeMappingSettings => ({
      label: (def.label ?? '').trim(),
      key: (def.key ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      rules: parseJson<Record<string, ValueRule>>(def.rules, 'rules', {}, t),
      computed: parseJson<ComputedProperty[]>(def.computed, 'computed', [], t),
    });

    // the refined entry of the last plan entry seen: shaping compiles once per entry object
    let lastEntry: NodeEntry | undefined;
    let lastRefined: NodeEntry | undefined;
    const refined = (entry: NodeEntry): NodeEntry => {
      if (entry !== lastEntry) {
        lastEntry = entry;
        lastRefined = refineNodeEntry(entry, settings());
      }
      return lastRefined as NodeEntry;
    };

    onInput(
      node,
      async (msg, send) => {
        // a run's control messages (runStart, runEnd) are for the writer: passed on untouched
        if (msg.control !== undefined) return send([msg, null]);
        const onInvalid = onInvalidSetting(def.onInvalid);
        const rows = msg.payload as RowBatch;
        let entry = msg.entry as NodeEntry | undefined;
        if (entry !== undefined && isRelationshipEntry(entry)) {
          throw new Pg2GraphError('SHAPE_ENTRY_INVALID', t('errors.relationshipEntry', { entry: entry.id }), { entry: entry.id });
        }
        if (entry === undefined) {
          if (!rows || !Array.isArray(rows.columns)) throw new Pg2GraphError('SHAPE_ROWS_INVALID', t('errors.notRows'));
          entry = nodeEntryFromSettings(settings(), rows.columns);
        } else {
          entry = refined(entry);
        }
        const shaped = await shapeNodes(entry, rows, { onInvalid });
        batches++;
        records += shaped.rows.length;
        rejected += shaped.rejects?.length ?? 0;
        msg.payload = shaped;
        status.set({ fill: rejected ? 'yellow' : 'green', shape: 'dot', text: t('status.shaped', { batches, records, rejected }) });
        send([msg, rejectsMessage(msg, shaped)]);
      },
      (error) => ({ fill: 'red', shape: 'ring', text: t('status.failed', { code: error.code }) }),
    );
    node.on('close', (_removed, done) => {
      status.clear();
      done();
    });
  }
  RED.nodes.registerType(TYPE, ToNode);
};
