/**
 * The `neo4j-admin` format: CSV for `neo4j-admin database import full` (see README, Offline exports:
 * neo4j-admin). Per entry a header file and data parts; one ID space per node entry, whose unnamed ID column
 * (no property stored) holds the key's text (a composite key as a JSON array of its parts' texts, since the tool
 * would glue several ID columns together without a separator); the key parts are also typed properties. Labels
 * and types travel in `:LABEL` / `:TYPE` columns, so any name the graph can hold survives CSV quoting (the
 * `--nodes=Label=...` argument form cannot hold `:`, `=` or `,`).
 */
import { Pg2GraphError } from '../../../core/errors';
import type { NodeBatch, RelationshipBatch } from '../../../core/records';
import { idText } from '../../../cypher/neptune-id';
import type { NodeEntry, RelationshipEntry } from '../../../plan/types';
import type { ValuePolicy } from '../../../values/rule-types';
import type { ValidPlan } from '../../../plan/valid';
import { columnProperties } from '../../../plan/entry-columns';
import { sameMembers } from '../../../core/sets';
import { describeKey } from '../../../values/graph-text';
import { describeBatch } from '../../describe';
import { entryLabels } from '../../schema-spec';
import { csvLine, hasLineBreak } from '../csv';
import { entryBase } from '../entry-files';
import type { EncodedPart, EntryLayout, FileFormat, FormatOptions } from '../format';
import { columnType, DEFAULT_ARRAY_DELIMITER, RefusedValue, valueText, type ColumnType } from './neo4j-admin-values';
import { adminFinish, AFTER_IMPORT, EMPTY_LISTS, MULTILINE, TEXT_PREFIX } from './neo4j-admin-finish';

interface AdminColumn {
  name: string;
  type: ColumnType;
  /** The string column beside it for the text its policy may give instead (infinity "string", nullElements "json"). */
  text?: string;
}

/** An end of a relationship entry: the node entry's ID space and its key in the order the IDs were made. */
interface EndIds {
  space: string;
  key: string[];
}

/** The entry layout with what encoding needs (made by layout(), handed back by the sink). */
export interface AdminLayout extends EntryLayout {
  columns: AdminColumn[];
  /** The primary label (nodes) or the type (relationships), for after-import.cypher. */
  name: string;
  /** The entry has list properties, so its header ends with the EMPTY_LISTS column. */
  marker: boolean;
  /** Some column has a text column beside it (AdminColumn.text). */
  texts: boolean;
  from?: EndIds;
  to?: EndIds;
}

function unsupported(entry: string, message: string, details: Record<string, unknown> = {}): Pg2GraphError {
  return new Pg2GraphError('EXPORT_PLAN_UNSUPPORTED', `entry "${entry}": ${message}`, { entry, ...details });
}

export function arrayDelimiter(options: FormatOptions): string {
  const delimiter = options.arrayDelimiter ?? DEFAULT_ARRAY_DELIMITER;
  if ([...delimiter].length !== 1 || /[,"\r\n]/.test(delimiter)) {
    throw new Pg2GraphError(
      'EXPORT_SETTING_INVALID',
      `the array delimiter must be one character other than , " and line breaks; got ${JSON.stringify(delimiter)}`,
      {
        setting: 'arrayDelimiter',
      },
    );
  }
  return delimiter;
}

/** A property name as a header field `name:type` can hold it: the tool splits at ':' and reads the header as one CSV line. */
function checkedColumn(entry: string, name: string, rule: string | undefined, what: string, policy: ValuePolicy = {}): AdminColumn {
  if (name === EMPTY_LISTS || name.startsWith(TEXT_PREFIX))
    throw unsupported(entry, `${what} "${name}" has the name of the format's empty-list marker`, { property: name });
  if (/[:\r\n]/.test(name)) throw unsupported(entry, `${what} "${name}" holds ':' or a line break, which a neo4j-admin header cannot name`, { property: name });
  if (!rule) throw unsupported(entry, `${what} "${name}" has no rule ("as"): a neo4j-admin header needs one type per column`, { property: name });
  const type = columnType(rule as never);
  if ('problem' in type) throw unsupported(entry, `${what} "${name}": ${type.problem}`, { property: name, rule });
  const text = rule !== 'string' && (policy.infinity === 'string' || policy.nullElements === 'json' || policy.multiDimensional === 'json');
  return text ? { name, type, text: `${TEXT_PREFIX}${name}` } : { name, type };
}

function checkNamesFree(entry: string, names: string[], delimiter: string, what: string): void {
  for (const name of names) {
    if (name.includes(delimiter)) throw unsupported(entry, `${what} "${name}" holds the array delimiter, which separates ${what}s in the :LABEL/:TYPE column`);
  }
}

function nodeLayout(entry: NodeEntry, delimiter: string): AdminLayout {
  const base = entryBase(entry.id);
  const properties = columnProperties(entry);
  const keyColumns = entry.key.map((name) => {
    const property = properties.find((p) => p.name === name);
    // a row-content key (rowHash) is text the reader makes, not one of the entry's properties
    if (entry.keySource === 'rowContent' && !property) return checkedColumn(entry.id, name, 'string', 'key property');
    return checkedColumn(entry.id, name, property?.as, 'key property', property);
  });
  const others = properties.filter((p) => !entry.key.includes(p.name)).map((p) => checkedColumn(entry.id, p.name, p.as, 'property', p));
  const computed = (entry.computed ?? []).map((c) => checkedColumn(entry.id, c.name, c.as, 'computed property'));
  checkNamesFree(entry.id, entryLabels(entry), delimiter, 'label');
  const columns = [...keyColumns, ...others, ...computed];
  const { fields, ...helpers } = typedFields(entry.id, columns, delimiter);
  const header = csvLine([`:ID(${base})`, ':LABEL', ...fields]);
  return {
    entry: entry.id,
    kind: 'nodes',
    base,
    extension: 'csv',
    headers: [{ path: `nodes/${base}.header.csv`, text: header }],
    columns,
    name: entry.label,
    ...helpers,
  };
}

/** The typed header fields `name:type` (names free of the delimiter, which the marker column separates them by), and the marker's. */
function typedFields(entry: string, columns: AdminColumn[], delimiter: string): { marker: boolean; texts: boolean; fields: string[] } {
  checkNamesFree(
    entry,
    columns.map((c) => c.name),
    delimiter,
    'property',
  );
  const marker = columns.some((c) => c.type.list);
  return {
    marker,
    texts: columns.some((c) => c.text),
    fields: [
      ...columns.map((c) => `${c.name}:${c.type.header}`),
      ...(marker ? [`${EMPTY_LISTS}:string[]`] : []),
      ...columns.filter((c) => c.text).map((c) => `${c.text}:string`),
    ],
  };
}

function relationshipLayout(entry: RelationshipEntry, nodes: Map<string, NodeEntry>, delimiter: string): AdminLayout {
  const base = entryBase(entry.id);
  const ends = (['from', 'to'] as const).map((side) => {
    const node = nodes.get(entry[side].node) as NodeEntry;
    const match = Object.keys(entry[side].match);
    if (!sameMembers(match, node.key)) {
      throw unsupported(
        entry.id,
        `its "${side}" end matches node entry "${node.id}" on ${match.join(', ')}, not on its key (${node.key.join(', ')}): neo4j-admin links relationships by node ID only; use the load-csv format or the online writer`,
        { property: match.join(',') },
      );
    }
    return { space: entryBase(node.id), key: [...node.key] };
  });
  checkNamesFree(entry.id, [entry.type], delimiter, 'type');
  const columns = entry.properties.map((p) => checkedColumn(entry.id, p.name, p.as, 'property', p));
  const { fields, ...helpers } = typedFields(entry.id, columns, delimiter);
  const header = csvLine([`:START_ID(${ends[0].space})`, `:END_ID(${ends[1].space})`, ':TYPE', ...fields]);
  return {
    entry: entry.id,
    kind: 'relationships',
    base,
    extension: 'csv',
    headers: [{ path: `relationships/${base}.header.csv`, text: header }],
    columns,
    name: entry.type,
    ...helpers,
    from: ends[0],
    to: ends[1],
  };
}

function adminOf(layout: EntryLayout): AdminLayout {
  const admin = layout as Partial<AdminLayout>;
  if (!Array.isArray(admin.columns))
    throw new Pg2GraphError('WRITE_INPUT_INVALID', `entry "${layout.entry}": the layout was not made by the neo4j-admin format`);
  return admin as AdminLayout;
}

/** The ID of a node from its key values in key order: one value's text, or a JSON array of the parts' texts. */
export function nodeIdText(values: readonly unknown[]): string {
  return values.length === 1 ? idText(values[0]) : JSON.stringify(values.map(idText));
}

/**
 * Encodes rows: the fixed fields of each row, its typed columns, then the helper columns (empty lists, policy
 * texts); notes whether a value held a line break (--multiline-fields) or a row needs after-import.cypher.
 */
class PartWriter {
  text = '';
  multiline = false;
  afterImport = false;

  constructor(
    private readonly batch: NodeBatch | RelationshipBatch,
    private readonly delimiter: string,
  ) {}

  field(text: string): string {
    if (!this.multiline && hasLineBreak(text)) this.multiline = true;
    return text;
  }

  row(index: number, key: unknown[], fixed: string[], layout: AdminLayout, values: unknown[]): void {
    const columns = layout.columns;
    const fields: Array<string | null> = fixed.map((f) => this.field(f));
    const empty: string[] = [];
    let texts: Map<string, string> | undefined;
    for (let c = 0; c < columns.length; c += 1) {
      const value = values[c];
      if (value === null || value === undefined) {
        fields.push(null);
        continue;
      }
      const text = columns[c].text;
      if (text && typeof value === 'string') {
        (texts ??= new Map()).set(text, this.field(value));
        fields.push(null);
        continue;
      }
      if (columns[c].type.list && Array.isArray(value) && value.length === 0) {
        empty.push(columns[c].name);
        fields.push(null);
        continue;
      }
      try {
        const encoded = valueText(value, columns[c].type, this.delimiter);
        // only text can hold a line break (numbers, temporals and points print none)
        fields.push(columns[c].type.kind === 'String' ? this.field(encoded) : encoded);
      } catch (error) {
        if (!(error instanceof RefusedValue)) throw error;
        const info = this.batch.batch;
        throw new Pg2GraphError(
          'EXPORT_VALUE_REFUSED',
          `${describeBatch(info)}: row ${index} (key ${describeKey(key)}): property "${columns[c].name}" holds ${error.reason}`,
          { entry: info.entry, batch: info.index, row: index, property: columns[c].name },
        );
      }
    }
    if (layout.marker) fields.push(empty.length ? empty.join(this.delimiter) : null);
    if (layout.texts) for (const column of columns) if (column.text) fields.push(texts?.get(column.text) ?? null);
    if (empty.length || texts) this.afterImport = true;
    this.text += csvLine(fields);
  }

  part(): EncodedPart {
    const notes = [...(this.multiline ? [MULTILINE] : []), ...(this.afterImport ? [AFTER_IMPORT] : [])];
    return notes.length ? { text: this.text, notes } : { text: this.text };
  }
}

/** Where each layout column sits in the batch (-1: absent from this batch, so no property). */
function positions(layout: AdminLayout, batchColumns: string[], from: number, entry: string): number[] {
  const known = new Set(layout.columns.map((c) => c.name));
  for (const name of batchColumns.slice(from)) {
    if (!known.has(name))
      throw unsupported(entry, `a batch holds property "${name}", which the plan does not type, so the header has no column for it`, { property: name });
  }
  return layout.columns.map((c) => batchColumns.indexOf(c.name, from));
}

function pick(row: unknown[], at: number[]): unknown[] {
  return at.map((i) => (i < 0 ? null : row[i]));
}

export const NEO4J_ADMIN_FORMAT: FileFormat = {
  name: 'neo4j-admin',
  formatVersion: 1,
  layout(plan: ValidPlan, options: FormatOptions): AdminLayout[] {
    const delimiter = arrayDelimiter(options);
    const nodes = new Map(plan.nodes.map((entry) => [entry.id, entry]));
    return [...plan.nodes.map((entry) => nodeLayout(entry, delimiter)), ...plan.relationships.map((entry) => relationshipLayout(entry, nodes, delimiter))];
  },
  encodeNodes(batch, entry, layout, options) {
    const admin = adminOf(layout);
    const delimiter = arrayDelimiter(options);
    checkNamesFree(entry.id, batch.labels, delimiter, 'label');
    const at = positions(admin, batch.columns, 0, entry.id);
    const keyAt = batch.key.map((name) => batch.columns.indexOf(name));
    const labels = batch.labels.join(delimiter);
    const writer = new PartWriter(batch, delimiter);
    batch.rows.forEach((row, i) => {
      const key = pick(row, keyAt);
      writer.row(i, key, [nodeIdText(key), labels], admin, pick(row, at));
    });
    return writer.part();
  },
  encodeRelationships(batch, entry, layout, options) {
    const admin = adminOf(layout);
    const delimiter = arrayDelimiter(options);
    const fromLength = batch.from.match.length;
    const matchLength = fromLength + batch.to.match.length;
    const fromAt = admin.from!.key.map((name) => batch.from.match.indexOf(name));
    const toAt = admin.to!.key.map((name) => fromLength + batch.to.match.indexOf(name));
    if ([...fromAt, ...toAt].some((i) => i < 0 || i >= matchLength)) {
      throw unsupported(entry.id, `a batch matches its ends on ${batch.from.match.join(', ')} / ${batch.to.match.join(', ')}, not on the end nodes' keys`);
    }
    const at = positions(admin, batch.columns, matchLength, entry.id);
    const writer = new PartWriter(batch, delimiter);
    batch.rows.forEach((row, i) => {
      writer.row(i, row.slice(0, matchLength), [nodeIdText(pick(row, fromAt)), nodeIdText(pick(row, toAt)), batch.type], admin, pick(row, at));
    });
    return writer.part();
  },
  finish: (plan, layouts, files, options) => adminFinish(plan, layouts.map(adminOf), files, arrayDelimiter(options)),
};
