/**
 * The `jsonl` format: one JSON object per line, nodes (`{"labels", "key", "properties"}`) and relationships
 * (`{"type", "from": {"labels", "match"}, "to": {...}, "properties"}`), for any tool that reads JSON (see README,
 * Offline exports: jsonl). Every value keeps its graph type: strings and booleans are plain JSON, every other
 * value is an object of one member named for its type ({"integer": "9007199254740993"}, {"float": "NaN"},
 * {"date": "2024-01-02"}, ...), so integers stay exact beyond 2^53 and a Float 1.0 is never read as Integer 1.
 * A property that is absent (NULL) is left out.
 */
import type { Point } from 'neo4j-driver';
import { Pg2GraphError } from '../../../core/errors';
import type { NodeBatch, RelationshipBatch } from '../../../core/records';
import { bytesOf, integerText, kindOf } from '../../../values/graph-kind';
import { plainLayouts } from '../entry-files';
import type { FileFormat } from '../format';

/** A float as JSON: a number, or its name where JSON has none (NaN, Infinity, -Infinity, -0). */
function floatValue(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return value;
}

/** One graph value in the typed encoding (see the header). */
export function jsonValue(value: unknown): unknown {
  const kind = kindOf(value);
  switch (kind) {
    case 'String':
    case 'Boolean':
      return value;
    case 'Integer':
      return { integer: integerText(value) };
    case 'Float':
      return { float: floatValue(value as number) };
    case 'Bytes':
      return { bytes: Buffer.from(bytesOf(value as ArrayBufferView)).toString('base64') };
    case 'List':
      return (value as unknown[]).map(jsonValue);
    case 'Point': {
      const point = value as Point;
      return { point: { srid: Number(point.srid), x: point.x, y: point.y, ...(point.z !== undefined ? { z: point.z } : {}) } };
    }
    case 'Date':
    case 'LocalDateTime':
    case 'DateTime':
    case 'LocalTime':
    case 'Time':
    case 'Duration':
      return { [kind.charAt(0).toLowerCase() + kind.slice(1)]: String(value) };
    case 'Absent':
      return null;
    case 'Map':
      throw new Pg2GraphError('EXPORT_VALUE_REFUSED', `a map cannot be written as a graph value: ${JSON.stringify(value)}`);
  }
}

function properties(columns: string[], row: unknown[], from: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let c = from; c < columns.length; c += 1) if (row[c] !== null && row[c] !== undefined) object[columns[c]] = jsonValue(row[c]);
  return object;
}

function named(columns: string[], row: unknown[], from: number, to: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let c = from; c < to; c += 1) object[columns[c]] = jsonValue(row[c]);
  return object;
}

export const JSONL_FORMAT: FileFormat = {
  name: 'jsonl',
  formatVersion: 1,
  layout: (plan) => plainLayouts(plan, 'jsonl'),
  encodeNodes(batch: NodeBatch) {
    const keyLength = batch.key.length;
    let text = '';
    for (const row of batch.rows) {
      const line = { labels: batch.labels, key: named(batch.columns, row, 0, keyLength), properties: properties(batch.columns, row, keyLength) };
      text += `${JSON.stringify(line)}\n`;
    }
    return text;
  },
  encodeRelationships(batch: RelationshipBatch) {
    const fromLength = batch.from.match.length;
    const matchLength = fromLength + batch.to.match.length;
    let text = '';
    for (const row of batch.rows) {
      const line = {
        type: batch.type,
        from: { labels: batch.from.labels, match: named(batch.columns, row, 0, fromLength) },
        to: { labels: batch.to.labels, match: named(batch.columns, row, fromLength, matchLength) },
        properties: properties(batch.columns, row, matchLength),
      };
      text += `${JSON.stringify(line)}\n`;
    }
    return text;
  },
  finish(plan, layouts, files) {
    const lines = [
      '# Loading this export (format jsonl)',
      '',
      `Plan entries: ${plan.nodes.length} node entries, ${plan.relationships.length} relationship entries; ${files.filter((f) => !f.header).length} parts.`,
      '',
      'Each line of `nodes/*.jsonl` is one node: `{"labels": [...], "key": {...}, "properties": {...}}`; each line of',
      '`relationships/*.jsonl` one relationship: `{"type", "from": {"labels", "match"}, "to": {"labels", "match"}, "properties"}`,',
      'where `match` names the end node by its key properties (or the unique properties its foreign key references).',
      'Load every node part before any relationship part. Strings and booleans are plain JSON; every other value is an',
      'object of one member named for its type: `{"integer": "<decimal text>"}`, `{"float": <number> | "NaN" | "Infinity" |',
      '"-Infinity" | "-0"}`, `{"date": "..."}`, `{"localDateTime"}`, `{"dateTime"}`, `{"localTime"}`, `{"time"}`, `{"duration"}`',
      '(ISO 8601 text), `{"bytes": "<base64>"}`, `{"point": {"srid", "x", "y"}}`; lists are JSON arrays of such values. An',
      'absent property (SQL NULL) is left out. `manifest.json` lists every part with its entry and row count.',
      '',
      '| entry | kind | parts | rows |',
      '|---|---|--:|--:|',
      ...layouts.map((layout) => {
        const parts = files.filter((f) => f.entry === layout.entry && !f.header);
        return `| ${layout.entry} | ${layout.kind} | ${parts.length} | ${parts.reduce((sum, f) => sum + f.rows, 0)} |`;
      }),
      '',
    ];
    return { files: [{ path: 'IMPORT.md', text: lines.join('\n') }] };
  },
};
