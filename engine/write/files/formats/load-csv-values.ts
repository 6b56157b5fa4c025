/**
 * The `load-csv` value encoding (see README, Offline exports: load-csv): per value rule, the CSV text of a value
 * and the Cypher expression that turns the text LOAD CSV reads back into exactly the value the online writer
 * stores. Strings have every backslash written as `\/` (and read back with one replace()): LOAD CSV's default
 * quote escaping reads `\"` and `\\` inside quotes as escapes, and the text written this way reads the same with
 * that setting on or off. A column whose kind varies by row (a computed property without `as`, the columns of
 * a `flatten`) is tagged: `<kind>:<text>`.
 */
import type { Duration, Point } from 'neo4j-driver';
import { integerText, kindOf, type GraphValueKind } from '../../../values/graph-kind';
import type { ValueRule } from '../../../values/rule-types';

/** A value the encoding cannot hold; the format names entry, row key and property around it. */
export class RefusedValue extends Error {}

export interface ValueCodec {
  /** The CSV text (before CSV quoting) of a value; null for an absent one. */
  encode(value: unknown): string | null;
  /** The Cypher expression over `text` (an expression holding what LOAD CSV read: a string or null). */
  decode(text: string): string;
}

const NO_BACKSLASH = /\\/g;

/** `\` -> `\/`: after it no backslash is followed by a quote or a backslash, so no CSV reader sees an escape. */
export function escapeText(text: string): string {
  return text.includes('\\') ? text.replace(NO_BACKSLASH, '\\/') : text;
}

const unescape = (text: string) => `replace(${text}, '\\\\/', '\\\\')`;

function pad(value: number, width: number): string {
  return String(Math.abs(value)).padStart(width, '0');
}

/** ISO years as Neo4j parses them: 4 digits for 0..9999, else signed. */
function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return `${year < 0 ? '-' : '+'}${pad(year, 4)}`;
}

function fraction(nanos: number): string {
  return nanos ? `.${pad(nanos, 9)}` : '';
}

type Fields = { year?: unknown; month?: unknown; day?: unknown; hour?: unknown; minute?: unknown; second?: unknown; nanosecond?: unknown };
type Zoned = Fields & { timeZoneOffsetSeconds?: unknown; timeZoneId?: unknown };

const n = (value: unknown) => Number(value);

function dateText(v: Fields): string {
  return `${yearText(n(v.year))}-${pad(n(v.month), 2)}-${pad(n(v.day), 2)}`;
}

function timeText(v: Fields): string {
  return `${pad(n(v.hour), 2)}:${pad(n(v.minute), 2)}:${pad(n(v.second), 2)}${fraction(n(v.nanosecond))}`;
}

/** Neo4j's temporal parsers take offsets of hours and minutes only. */
function offsetText(v: Zoned): string {
  if (typeof v.timeZoneId === 'string' && v.timeZoneId) return `[${v.timeZoneId}]`;
  const seconds = n(v.timeZoneOffsetSeconds);
  if (seconds === 0) return 'Z';
  if (seconds % 60 !== 0) throw new RefusedValue(`a time zone offset with seconds (${seconds} s) cannot be read back by Neo4j's temporal functions`);
  const abs = Math.abs(seconds);
  return `${seconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600), 2)}:${pad((abs % 3600) / 60, 2)}`;
}

/** P<months>M<days>DT<seconds>.<nanos>S: months, days and seconds kept apart, as duration() reads them back. */
function durationText(v: Duration): string {
  const total = BigInt(String(v.seconds)) * 1_000_000_000n + BigInt(String(v.nanoseconds));
  const abs = total < 0n ? -total : total;
  const seconds = `${total < 0n ? '-' : ''}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
  return `P${String(v.months)}M${String(v.days)}DT${seconds}S`;
}

/** The shortest text that reads back as the same double; -0 keeps its sign. */
function floatText(value: number): string {
  return Object.is(value, -0) ? '-0.0' : String(value);
}

/**
 * toFloat() reads NaN and Infinity as null, so they are divisions; by toFloat(0), not the literal 0.0: Neo4j folds
 * a division of two literals into a literal and then fails to parse "Infinity" (measured inside FOREACH).
 */
const floatDecode = (t: string) =>
  `CASE ${t} WHEN 'NaN' THEN 0.0 / toFloat(0) WHEN 'Infinity' THEN 1.0 / toFloat(0) WHEN '-Infinity' THEN -1.0 / toFloat(0) ELSE toFloat(${t}) END`;

function pointText(p: Point): string {
  const parts = [String(p.srid), floatText(p.x), floatText(p.y), ...(p.z !== undefined ? [floatText(p.z)] : [])];
  return parts.join(' ');
}

function pointDecode(t: string, depth: number): string {
  const p = `p${depth}`;
  const base = `srid: toInteger(${p}[0]), x: ${floatDecode(`${p}[1]`)}, y: ${floatDecode(`${p}[2]`)}`;
  return `[${p} IN [split(${t}, ' ')] | point(CASE size(${p}) WHEN 4 THEN {${base}, z: ${floatDecode(`${p}[3]`)}} ELSE {${base}} END)][0]`;
}

/** A scalar kind's text and decoder (`depth` keeps comprehension variables apart when decoders nest). */
interface Scalar {
  kind: GraphValueKind;
  text: (value: unknown) => string;
  decode: (t: string, depth: number) => string;
}

const INFINITE = "['infinity', '-infinity']";

/** date/timestamp/timestamptz/interval under infinity "string": the text 'infinity' stays a string. */
function orInfinity(fn: string): (t: string) => string {
  return (t) => `CASE WHEN ${t} IN ${INFINITE} THEN ${t} ELSE ${fn}(${t}) END`;
}

const SCALARS: Record<string, Scalar> = {
  integer: { kind: 'Integer', text: integerText, decode: (t) => `toInteger(${t})` },
  float: { kind: 'Float', text: (v) => floatText(v as number), decode: floatDecode },
  string: { kind: 'String', text: (v) => escapeText(v as string), decode: unescape },
  boolean: { kind: 'Boolean', text: String, decode: (t) => `toBoolean(${t})` },
  date: { kind: 'Date', text: (v) => dateText(v as Fields), decode: orInfinity('date') },
  localDateTime: { kind: 'LocalDateTime', text: (v) => `${dateText(v as Fields)}T${timeText(v as Fields)}`, decode: orInfinity('localdatetime') },
  dateTime: { kind: 'DateTime', text: (v) => `${dateText(v as Zoned)}T${timeText(v as Zoned)}${offsetText(v as Zoned)}`, decode: orInfinity('datetime') },
  localTime: { kind: 'LocalTime', text: (v) => timeText(v as Fields), decode: (t) => `localtime(${t})` },
  time: { kind: 'Time', text: (v) => `${timeText(v as Zoned)}${offsetText(v as Zoned)}`, decode: (t) => `time(${t})` },
  duration: { kind: 'Duration', text: (v) => durationText(v as Duration), decode: orInfinity('duration') },
  point: { kind: 'Point', text: (v) => pointText(v as Point), decode: pointDecode },
};

const BY_KIND = new Map(Object.entries(SCALARS).map(([rule, scalar]) => [scalar.kind, rule]));

/** Rules whose values may also be the strings 'infinity' / '-infinity'. */
const INFINITY_RULES = new Set(['date', 'localDateTime', 'dateTime', 'duration']);

function scalarText(rule: string, value: unknown): string {
  const scalar = SCALARS[rule];
  const kind = kindOf(value);
  if (kind === scalar.kind) return scalar.text(value);
  if (kind === 'String' && INFINITY_RULES.has(rule) && (value === 'infinity' || value === '-infinity')) return value;
  throw new RefusedValue(`a ${kind} value in a column of rule "${rule}"`);
}

/** Delimiters tried in turn for a list; never `\`, `/` (the escape) or `[` (JSON text of a list under a "json" policy). */
const DELIMITERS = ['|', ';', ',', '~', '^', '#', ...Array.from({ length: 0x1900 }, (_, i) => String.fromCharCode(0xe000 + i))];

/** A list: its first character is the delimiter that starts every element (`|a|b`); `""` is the empty list. */
function listText(texts: string[]): string {
  if (!texts.length) return '';
  const delimiter = DELIMITERS.find((d) => texts.every((t) => !t.includes(d)));
  if (delimiter === undefined) throw new RefusedValue('a list whose elements hold every delimiter character this format can use');
  return texts.map((t) => delimiter + t).join('');
}

function listDecode(element: (t: string, depth: number) => string, t: string, depth: number): string {
  const x = `x${depth}`;
  return (
    `CASE WHEN ${t} STARTS WITH '[' THEN ${unescape(t)} WHEN ${t} = '' THEN [] ` +
    `ELSE [${x} IN split(substring(${t}, 1), left(${t}, 1)) | ${element(x, depth + 1)}] END`
  );
}

function listEncode(rule: string, value: unknown): string {
  const kind = kindOf(value);
  // a list under nullElements / multiDimensional "json" arrives as its JSON text (which starts with "[")
  if (kind === 'String' && (value as string).startsWith('[')) return escapeText(value as string);
  if (kind !== 'List') throw new RefusedValue(`a ${kind} value in a column of rule "list<${rule}>"`);
  return listText((value as unknown[]).map((item) => scalarText(rule, item)));
}

/** Tagged text for a column of no fixed rule: `integer:42`, `list<date>:|2020-01-01`. */
function variantEncode(value: unknown): string {
  const kind = kindOf(value);
  if (kind === 'List') {
    const items = value as unknown[];
    const kinds = new Set(items.map(kindOf));
    if (kinds.size > 1) throw new RefusedValue(`a list of mixed kinds (${[...kinds].join(', ')})`);
    const rule = items.length ? BY_KIND.get(items.map(kindOf)[0]) : 'string';
    if (!rule) throw new RefusedValue(`a list of ${items.map(kindOf)[0]} values`);
    return `list<${rule}>:${listText(items.map((item) => scalarText(rule, item)))}`;
  }
  const rule = BY_KIND.get(kind);
  if (!rule) throw new RefusedValue(`a ${kind} value`);
  return `${rule}:${scalarText(rule, value)}`;
}

function variantDecode(t: string, depth: number): string {
  const tag = `t${depth}`;
  const rest = `substring(${t}, size(${tag}) + 1)`;
  const branches = Object.entries(SCALARS).flatMap(([rule, scalar]) => [
    `WHEN '${rule}' THEN ${scalar.decode(rest, depth + 1)}`,
    `WHEN 'list<${rule}>' THEN ${listDecode(scalar.decode, rest, depth + 1)}`,
  ]);
  return `[${tag} IN [split(${t}, ':')[0]] | CASE ${tag} ${branches.join(' ')} END][0]`;
}

export const VARIANT_CODEC: ValueCodec = {
  encode: (value) => (kindOf(value) === 'Absent' ? null : variantEncode(value)),
  decode: (t) => variantDecode(t, 0),
};

/** Whether the format can hold a rule's values at all (Cypher has no function that makes a byte array). */
export function ruleRefusal(rule: ValueRule | undefined): string | undefined {
  if (rule === 'bytes' || rule === 'list<bytes>') return `rule "${rule}": Cypher cannot build a byte array from CSV text (use "as": "string" for the hex text)`;
  return undefined;
}

/** The codec of a column of a rule; no rule (a computed property without `as`) or `flatten` is tagged. */
export function codecFor(rule: ValueRule | undefined): ValueCodec {
  if (rule === undefined || rule === 'flatten') return VARIANT_CODEC;
  const list = /^list<(\w+)>$/.exec(rule);
  const scalar = list ? list[1] : rule;
  const decode = SCALARS[scalar]?.decode;
  if (!decode) throw new RefusedValue(`rule "${rule}"`);
  if (list) return { encode: (value) => (kindOf(value) === 'Absent' ? null : listEncode(scalar, value)), decode: (t) => listDecode(decode, t, 0) };
  return { encode: (value) => (kindOf(value) === 'Absent' ? null : scalarText(scalar, value)), decode: (t) => decode(t, 0) };
}
