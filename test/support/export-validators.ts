/**
 * Strict validators of our own for the export formats whose targets cannot run here (Neptune bulk load, openCypher
 * and Gremlin CSV; ArangoDB arangoimport JSON Lines). They read an export directory (its manifest.json and the
 * parts it lists, gzipped or not) and return every rule broken plus the parsed graph, so a test can also compare
 * the files with the source. Stricter than the loaders where our writer never needs the freedom (typed columns
 * only, no ID spaces, no escaped colons in names).
 */
import fs from 'fs';
import path from 'path';
import type { ManifestFile } from '../../dist/engine/write/files/format';
import { partText } from './export-files';

export type ManifestPart = ManifestFile;

export interface TypedValue {
  type: string;
  text: string;
}

export interface ParsedNode {
  id: string;
  labels: string[];
  properties: Map<string, TypedValue>;
}

export interface ParsedRelationship {
  id: string;
  type: string;
  from: string;
  to: string;
  properties: Map<string, TypedValue>;
}

export interface NeptuneSet {
  errors: string[];
  nodes: Map<string, ParsedNode>;
  relationships: Map<string, ParsedRelationship>;
  /** Nodes per first label, relationships (distinct ids) per type. */
  nodeCounts: Record<string, number>;
  relationshipCounts: Record<string, number>;
}

export interface ArangoCollection {
  kind: 'document' | 'edge';
  documents: Map<string, Record<string, unknown>>;
}

export interface ArangoSet {
  errors: string[];
  /** Documents and edges by collection, then by `_key`. */
  collections: Map<string, ArangoCollection>;
  counts: Record<string, number>;
}

const MAX_ERRORS = 50;

export class Errors {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    if (this.list.length < MAX_ERRORS) this.list.push(`${where}: ${message}`);
  }
}

export function readManifestParts(dir: string, errors: Errors): ManifestPart[] {
  let manifest: { files?: ManifestPart[] };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files?: ManifestPart[] };
  } catch (error) {
    errors.add('manifest.json', `unreadable: ${(error as Error).message}`);
    return [];
  }
  if (!Array.isArray(manifest.files)) errors.add('manifest.json', 'has no files list');
  return (manifest.files ?? []).filter((f) => !f.header);
}

// ------------------------------------------------------------------------------------------------ CSV (RFC 4180)

export interface CsvField {
  text: string;
  quoted: boolean;
}

/** Records of an RFC 4180 text; a broken quote is an error (the loader would misread the rest of the file). */
export function parseCsv(text: string, where: string, errors: Errors): CsvField[][] {
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let i = 0;
  if (text.length && !text.endsWith('\n')) errors.add(where, 'the last record has no line feed');
  while (i < text.length) {
    let field = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) {
          errors.add(where, `record ${records.length + 1}: unterminated quoted field`);
          return records;
        }
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r')
        errors.add(where, `record ${records.length + 1}: text after a closing quote`);
    }
    while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
      if (text[i] === '"') errors.add(where, `record ${records.length + 1}: a quote inside an unquoted field`);
      field += text[i++];
    }
    record.push({ text: field, quoted });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    records.push(record);
    record = [];
  }
  return records;
}

// ------------------------------------------------------------------------------------------------ Neptune

type Dialect = 'neptune-opencypher' | 'neptune-gremlin';

const SYSTEM: Record<Dialect, { nodes: { id: string; label: string }; relationships: { id: string; from: string; to: string; type: string } }> = {
  'neptune-opencypher': { nodes: { id: ':ID', label: ':LABEL' }, relationships: { id: ':ID', from: ':START_ID', to: ':END_ID', type: ':TYPE' } },
  'neptune-gremlin': { nodes: { id: '~id', label: '~label' }, relationships: { id: '~id', from: '~from', to: '~to', type: '~label' } },
};

const OPENCYPHER_TYPES = ['Bool', 'Boolean', 'Byte', 'Short', 'Int', 'Long', 'Float', 'Double', 'DateTime', 'String'];
const GREMLIN_TYPES = ['Bool', 'Boolean', 'Byte', 'Short', 'Int', 'Long', 'Float', 'Double', 'Date', 'String'];
const PROPERTY_NAME = /^[^\s,"'\\:]+$/;
const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  Byte: [-(2n ** 7n), 2n ** 7n - 1n],
  Short: [-(2n ** 15n), 2n ** 15n - 1n],
  Int: [-(2n ** 31n), 2n ** 31n - 1n],
  Long: [-(2n ** 63n), 2n ** 63n - 1n],
};
const FLOAT = /^(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|NaN|Infinity|-Infinity)$/;
/** The loaders' documented forms: yyyy-MM-dd[THH:mm[:ss[.SSS]][Z|±hh:mm]]; Gremlin's Date has no fraction. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d{3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

interface PropertyColumn {
  name: string;
  /** Canonical type name (Bool for Boolean). */
  type: string;
  array: boolean;
}

/** A property header of the dialect, or why it is none. */
export function parsePropertyHeader(dialect: Dialect, header: string, kind: 'nodes' | 'relationships'): PropertyColumn | string {
  const gremlin = dialect === 'neptune-gremlin';
  const match = /^(.*):([A-Za-z]+)(\[\]|\((single|set)\))?$/.exec(header);
  if (!match) return `header "${header}" is not name:Type${gremlin ? '[(cardinality)]' : ''}`;
  const [, name, rawType, suffix, cardinality] = match;
  if (!PROPERTY_NAME.test(name)) return `property name "${name}" holds a character the header grammar cannot (":", ",", quotes, "\\", whitespace)`;
  const types = gremlin ? GREMLIN_TYPES : OPENCYPHER_TYPES;
  // Gremlin type names are case-insensitive; openCypher ones are written as documented
  const found = types.find((t) => (gremlin ? t.toLowerCase() === rawType.toLowerCase() : t === rawType));
  if (!found) return `header "${header}": unknown type "${rawType}" (${types.join(', ')})`;
  if (!gremlin && cardinality) return `header "${header}": openCypher headers take no cardinality`;
  if (kind === 'relationships' && (suffix === '[]' || cardinality === 'set')) return `header "${header}": edge properties are single-valued`;
  if (cardinality === 'set' || suffix === '[]') return `header "${header}": a set or array column (pg2graph writes single values only)`;
  return { name, type: found === 'Boolean' ? 'Bool' : found, array: false };
}

/** Why a typed text is not a value of its type (undefined: it is). */
export function typedValueError(type: string, text: string): string | undefined {
  if (type in INTEGER_RANGES) {
    if (!/^-?\d+$/.test(text)) return `"${text}" is no integer`;
    const [min, max] = INTEGER_RANGES[type];
    const value = BigInt(text);
    return value < min || value > max ? `${text} is outside ${type}` : undefined;
  }
  if (type === 'Bool') return text === 'true' || text === 'false' ? undefined : `"${text}" is not exactly true or false`;
  if (type === 'Float' || type === 'Double') return FLOAT.test(text) ? undefined : `"${text}" is no floating-point number`;
  if (type === 'DateTime' || type === 'Date') {
    const match = ISO_DATE_TIME.exec(text);
    if (!match || (type === 'Date' && match[9])) return `"${text}" is not an ISO 8601 date-time the loader reads`;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return `"${text}" is not a calendar date`;
    if (match[5] !== undefined && (Number(match[5]) > 23 || Number(match[6]) > 59 || Number(match[8] ?? 0) > 59)) return `"${text}" is not a time of day`;
    return undefined;
  }
  return undefined;
}

interface FileHeader {
  system: Map<string, number>;
  properties: Array<{ index: number; column: PropertyColumn }>;
}

function parseHeader(dialect: Dialect, kind: 'nodes' | 'relationships', header: CsvField[], where: string, errors: Errors): FileHeader | undefined {
  const allowed = Object.values(SYSTEM[dialect][kind]) as string[];
  const system = new Map<string, number>();
  const properties: FileHeader['properties'] = [];
  const names = new Set<string>();
  header.forEach((field, index) => {
    if (field.quoted) errors.add(where, `header "${field.text}" is quoted`);
    const text = field.text;
    if (text.startsWith(':') || text.startsWith('~')) {
      if (!allowed.includes(text)) return errors.add(where, `"${text}" is no ${kind === 'nodes' ? 'node' : 'relationship'} system column of ${dialect}`);
      if (system.has(text)) return errors.add(where, `system column "${text}" appears twice`);
      system.set(text, index);
      return;
    }
    const column = parsePropertyHeader(dialect, text, kind);
    if (typeof column === 'string') return errors.add(where, column);
    if (names.has(column.name)) return errors.add(where, `property "${column.name}" appears twice`);
    names.add(column.name);
    properties.push({ index, column });
  });
  // pg2graph always writes the label / type column; the loaders require the id and both ends
  const required = kind === 'nodes' ? [SYSTEM[dialect].nodes.id, SYSTEM[dialect].nodes.label] : allowed;
  const missing = required.filter((name) => !system.has(name));
  if (missing.length) {
    errors.add(where, `missing system column ${missing.join(', ')}`);
    return undefined;
  }
  return { system, properties };
}

function typedProperties(header: FileHeader, record: CsvField[], where: string, errors: Errors): Map<string, TypedValue> {
  const properties = new Map<string, TypedValue>();
  for (const { index, column } of header.properties) {
    const field = record[index];
    if (!field.quoted && field.text === '') continue;
    if (field.text === '' && column.type !== 'String') {
      errors.add(where, `property "${column.name}": an empty string in a ${column.type} column`);
      continue;
    }
    const problem = typedValueError(column.type, field.text);
    if (problem) errors.add(where, `property "${column.name}" (${column.type}): ${problem}`);
    properties.set(column.name, { type: column.type, text: field.text });
  }
  return properties;
}

function systemText(header: FileHeader, record: CsvField[], name: string, where: string, errors: Errors): string {
  const field = record[header.system.get(name)!];
  if (!field.text) errors.add(where, `empty ${name}`);
  return field.text;
}

/** Validates a Neptune export directory (openCypher or Gremlin CSV). */
export function validateNeptuneExport(dir: string, dialect: Dialect): NeptuneSet {
  const errors = new Errors();
  const set: NeptuneSet = { errors: errors.list, nodes: new Map(), relationships: new Map(), nodeCounts: {}, relationshipCounts: {} };
  const parts = readManifestParts(dir, errors);
  const references: Array<{ where: string; id: string; end: string }> = [];
  for (const kind of ['nodes', 'relationships'] as const) {
    for (const part of parts.filter((p) => p.kind === kind)) {
      const records = parseCsv(partText(dir, part.path), part.path, errors);
      if (!records.length) {
        errors.add(part.path, 'no header row');
        continue;
      }
      const header = parseHeader(dialect, kind, records[0], part.path, errors);
      if (records.length - 1 !== part.rows) errors.add(part.path, `${records.length - 1} rows, the manifest says ${part.rows}`);
      if (!header) continue;
      records.slice(1).forEach((record, i) => {
        const where = `${part.path} row ${i + 1}`;
        if (record.length !== records[0].length) return errors.add(where, `${record.length} fields, the header has ${records[0].length}`);
        if (kind === 'nodes') readNode(dialect, set, header, record, where, errors);
        else readRelationship(dialect, set, header, record, where, errors, references);
      });
    }
  }
  for (const reference of references) {
    if (!set.nodes.has(reference.id)) errors.add(reference.where, `${reference.end} "${reference.id}" is no node of the set`);
  }
  return set;
}

function readNode(dialect: Dialect, set: NeptuneSet, header: FileHeader, record: CsvField[], where: string, errors: Errors): void {
  const names = SYSTEM[dialect].nodes;
  const id = systemText(header, record, names.id, where, errors);
  const labels = systemText(header, record, names.label, where, errors).split(';');
  if (labels.some((l) => !l)) errors.add(where, `an empty label in "${labels.join(';')}"`);
  if (set.nodes.has(id)) errors.add(where, `node id "${id}" is defined twice`);
  set.nodes.set(id, { id, labels, properties: typedProperties(header, record, where, errors) });
  set.nodeCounts[labels[0]] = (set.nodeCounts[labels[0]] ?? 0) + 1;
}

function readRelationship(
  dialect: Dialect,
  set: NeptuneSet,
  header: FileHeader,
  record: CsvField[],
  where: string,
  errors: Errors,
  references: Array<{ where: string; id: string; end: string }>,
): void {
  const names = SYSTEM[dialect].relationships;
  const id = systemText(header, record, names.id, where, errors);
  const type = systemText(header, record, names.type, where, errors);
  if (type.includes(';')) errors.add(where, `relationship type "${type}" holds ";"`);
  const from = systemText(header, record, names.from, where, errors);
  const to = systemText(header, record, names.to, where, errors);
  references.push({ where, id: from, end: names.from }, { where, id: to, end: names.to });
  const properties = typedProperties(header, record, where, errors);
  const earlier = set.relationships.get(id);
  // one id for one relationship: rows of one pair may repeat it (the loader then updates it), never name another
  if (earlier && (earlier.type !== type || earlier.from !== from || earlier.to !== to))
    errors.add(where, `relationship id "${id}" names two different relationships`);
  if (!earlier) set.relationshipCounts[type] = (set.relationshipCounts[type] ?? 0) + 1;
  set.relationships.set(id, { id, type, from, to, properties });
}

// ------------------------------------------------------------------------------------------------ ArangoDB

const COLLECTION = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const KEY = /^[A-Za-z0-9_\-.@()+,=;$!*'%:]+$/;

/** Why a `_key` breaks ArangoDB's rules or our encoding (undefined: it is fine). */
export function arangoKeyError(key: unknown): string | undefined {
  if (typeof key !== 'string') return `_key ${JSON.stringify(key)} is no string`;
  if (!key.length || Buffer.byteLength(key) > 254) return `_key "${key.slice(0, 40)}" is ${Buffer.byteLength(key)} bytes (1 to 254)`;
  if (!KEY.test(key)) return `_key "${key}" holds a character outside ArangoDB's key alphabet`;
  if (/^%H[0-9a-f]{64}$/.test(key)) return undefined;
  if (/%(?![0-9A-F]{2})/.test(key)) return `_key "${key}": "%" not followed by two upper-case hex digits (ambiguous to decode)`;
  return undefined;
}

/** Integer number tokens beyond 2^53 in a JSON text (outside strings): JSON readers would round them. */
export function unsafeIntegers(line: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < line.length) {
    const char = line[i];
    if (char === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(line.slice(i));
    if (number && /[-\d]/.test(char)) {
      if (!number[1] && !number[2] && !Number.isSafeInteger(Number(number[0]))) found.push(number[0]);
      i += number[0].length;
      continue;
    }
    i++;
  }
  return found;
}

/** Validates an ArangoDB export directory (arangoimport JSON Lines). */
export function validateArangoExport(dir: string): ArangoSet {
  const errors = new Errors();
  const set: ArangoSet = { errors: errors.list, collections: new Map(), counts: {} };
  const parts = readManifestParts(dir, errors);
  const edges: Array<{ where: string; end: string; value: unknown }> = [];
  for (const kind of ['nodes', 'relationships'] as const) {
    for (const part of parts.filter((p) => p.kind === kind)) {
      const collectionKind = kind === 'nodes' ? 'document' : 'edge';
      const name = part.collection;
      if (typeof name !== 'string' || !COLLECTION.test(name)) {
        errors.add(part.path, `collection ${JSON.stringify(name)} is no ArangoDB collection name (1 to 64 letters, digits, _ or -, starting with a letter)`);
        continue;
      }
      let collection = set.collections.get(name);
      if (!collection) set.collections.set(name, (collection = { kind: collectionKind, documents: new Map() }));
      if (collection.kind !== collectionKind) errors.add(part.path, `collection "${name}" holds documents and edges`);
      const text = partText(dir, part.path);
      if (text.length && !text.endsWith('\n')) errors.add(part.path, 'the last line has no line feed');
      const lines = text.length ? text.slice(0, -1).split('\n') : [];
      if (lines.length !== part.rows) errors.add(part.path, `${lines.length} lines, the manifest says ${part.rows}`);
      lines.forEach((line, i) => readDocument(collection, name, line, `${part.path} line ${i + 1}`, errors, edges, set));
    }
  }
  for (const edge of edges) {
    const [name, key, ...rest] = typeof edge.value === 'string' ? edge.value.split('/') : [];
    const target = set.collections.get(name);
    if (rest.length || key === undefined) errors.add(edge.where, `${edge.end} ${JSON.stringify(edge.value)} is not collection/key`);
    else if (!target || target.kind !== 'document') errors.add(edge.where, `${edge.end} "${edge.value}": no document collection "${name}" in the set`);
    else if (!target.documents.has(key)) errors.add(edge.where, `${edge.end} "${edge.value}": no such document`);
  }
  return set;
}

function readDocument(
  collection: ArangoCollection,
  name: string,
  line: string,
  where: string,
  errors: Errors,
  edges: Array<{ where: string; end: string; value: unknown }>,
  set: ArangoSet,
): void {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    return errors.add(where, `not JSON: ${(error as Error).message}`);
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) return errors.add(where, 'not a JSON object');
  const record = document as Record<string, unknown>;
  const big = unsafeIntegers(line);
  if (big.length) errors.add(where, `integers beyond 2^53 as JSON numbers (${big.join(', ')}): they must be strings`);
  const system = collection.kind === 'edge' ? ['_key', '_from', '_to'] : ['_key'];
  for (const attribute of Object.keys(record))
    if (attribute.startsWith('_') && !system.includes(attribute)) errors.add(where, `attribute "${attribute}" is ArangoDB's own`);
  const keyProblem = arangoKeyError(record._key);
  if (keyProblem) return errors.add(where, keyProblem);
  const key = record._key as string;
  const earlier = collection.documents.get(key);
  if (collection.kind === 'edge') {
    for (const end of ['_from', '_to']) edges.push({ where, end, value: record[end] });
    if (earlier && (earlier._from !== record._from || earlier._to !== record._to)) errors.add(where, `edge _key "${key}" names two different edges`);
  } else if (earlier) {
    errors.add(where, `_key "${key}" is defined twice in collection "${name}"`);
  }
  if (!earlier) set.counts[name] = (set.counts[name] ?? 0) + 1;
  collection.documents.set(key, record);
}

/** Fails with every rule broken (the first ones), naming the directory. */
export function assertNoErrors(set: { errors: string[] }, what: string): void {
  if (set.errors.length) throw new Error(`${what} fails its validator:\n  ${set.errors.join('\n  ')}`);
}
