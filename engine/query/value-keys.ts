/**
 * Comparison keys of result values (README.md, Graph query, Comparing result sets): two values answer the same
 * exactly when their keys are equal, so rows can be matched as multisets through a map. A column compares in
 * one mode, chosen from what the source holds:
 * - exact: the source was converted under the value rules (its Postgres text and type) into the plain value the
 *   graph returns; only the same plain value matches ("1.50" is not 1.5, "5" is not 5);
 * - loose: the source holds what pg's default parsers give: a string of integer digits equals the same integer
 *   as a number (pg returns int8, count and sum as text; the graph beyond 2^53 as text), and times of day equal
 *   when they differ only in trailing zeros of the fraction or the spelling of offset 0;
 * - instant: the source holds JS Dates (date, timestamp, timestamptz): the graph's ISO text is read as an
 *   instant to the millisecond a Date holds (texts without an offset in local time, as pg reads them);
 * - interval: the source holds pg's interval objects: months, days and nanoseconds must agree with the graph's
 *   ISO duration;
 * - bytes: the source holds Buffers: equal to the graph's hex text of the same bytes;
 * - json: the source holds parsed JSON: the graph's JSON text (or map) with the same members.
 * Everywhere NaN equals NaN, -0 is not 0, and null equals a missing value.
 */

export type ColumnMode = 'exact' | 'loose' | 'instant' | 'interval' | 'bytes' | 'json';

const INTEGER_TEXT = /^-?(0|[1-9]\d*)$/;
const TIME_TEXT = /^(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;
const TEMPORAL_TEXT = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?(?:\[[^\]]+\])?$/;
const DURATION_TEXT = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+)(?:\.(\d+))?S)?)?$/;
const HEX_TEXT = /^(?:\\x)?([0-9a-fA-F]*)$/;

/** Seconds east of UTC of "Z", "+02", "-03:30", "+0530", "+01:02:03". */
function offsetSeconds(text: string): number {
  if (text === 'Z') return 0;
  const digits = text.slice(1).replace(/:/g, '');
  const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
  return text[0] === '-' ? -seconds : seconds;
}

function offsetKey(text: string | undefined): string {
  if (text === undefined) return '';
  const seconds = offsetSeconds(text);
  return seconds === 0 ? 'Z' : `${seconds > 0 ? '+' : '-'}${Math.abs(seconds)}`;
}

function numberKey(value: number): string {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return `i:${value}`;
  return `n:${Object.is(value, -0) ? '-0' : String(value)}`;
}

/** The instant of an ISO date / date-time text, to the millisecond; undefined when the text is none. */
export function instantOf(text: string): number | undefined {
  const m = TEMPORAL_TEXT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  if (m[8] === undefined) {
    const local = new Date(2000, month - 1, day, hour, minute, second, ms);
    local.setFullYear(year);
    return local.getTime();
  }
  const utc = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  utc.setUTCFullYear(year);
  return utc.getTime() - offsetSeconds(m[8]) * 1000;
}

/** months, days and nanoseconds of an ISO 8601 duration text (as the graph prints one). */
function durationOf(text: string): string | undefined {
  const m = DURATION_TEXT.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const n = (i: number) => BigInt(m[i] ?? '0');
  const months = n(1) * 12n + n(2);
  const days = n(3) * 7n + n(4);
  const negativeSeconds = (m[7] ?? '').startsWith('-');
  const fraction = BigInt((m[8] ?? '').slice(0, 9).padEnd(9, '0'));
  const nanos = (n(5) * 3600n + n(6) * 60n + n(7)) * 1_000_000_000n + (negativeSeconds ? -fraction : fraction);
  return `d:${months},${days},${nanos}`;
}

interface PgInterval {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

/** pg's interval objects (postgres-interval): fields years … milliseconds, printable to Postgres. */
function isPgInterval(value: object): value is PgInterval {
  return typeof (value as { toPostgres?: unknown }).toPostgres === 'function' && typeof (value as { toISOString?: unknown }).toISOString === 'function';
}

function intervalKey(value: PgInterval): string {
  const months = BigInt((value.years ?? 0) * 12 + (value.months ?? 0));
  const wholeSeconds = ((value.hours ?? 0) * 60 + (value.minutes ?? 0)) * 60 + (value.seconds ?? 0);
  const nanos = BigInt(wholeSeconds) * 1_000_000_000n + BigInt(Math.round((value.milliseconds ?? 0) * 1_000_000));
  return `d:${months},${BigInt(value.days ?? 0)},${nanos}`;
}

function timeKey(m: RegExpExecArray): string {
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  return `t:${m[1]}${fraction ? `.${fraction}` : ''}${offsetKey(m[3])}`;
}

function stringKey(value: string, mode: ColumnMode): string {
  switch (mode) {
    case 'loose': {
      if (INTEGER_TEXT.test(value)) return `i:${value}`;
      const time = TIME_TEXT.exec(value);
      if (time) return timeKey(time);
      break;
    }
    case 'instant': {
      const instant = instantOf(value);
      if (instant !== undefined && !Number.isNaN(instant)) return `ms:${instant}`;
      break;
    }
    case 'interval':
      return durationOf(value) ?? `s:${JSON.stringify(value)}`;
    case 'bytes': {
      const hex = HEX_TEXT.exec(value);
      if (hex) return `x:${hex[1].toLowerCase()}`;
      break;
    }
    case 'json':
      try {
        return valueKey(JSON.parse(value) as unknown, 'exact');
      } catch {
        break;
      }
    case 'exact':
      break;
  }
  return `s:${JSON.stringify(value)}`;
}

/** The comparison key of one value in a column of the given mode. */
export function valueKey(value: unknown, mode: ColumnMode): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return `b:${value}`;
    case 'number':
      return numberKey(value);
    case 'bigint':
      return `i:${value.toString()}`;
    case 'string':
      return stringKey(value, mode);
    case 'object':
      break;
    default:
      // a symbol or a function: no result value, kept apart by its type
      return `?:${typeof value}`;
  }
  if (value instanceof Date) return `ms:${value.getTime()}`;
  if (ArrayBuffer.isView(value)) return `x:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (Array.isArray(value)) return `[${value.map((item) => valueKey(item, mode)).join(',')}]`;
  if (isPgInterval(value)) return intervalKey(value);
  const members = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${valueKey((value as Record<string, unknown>)[key], mode === 'json' ? 'exact' : mode)}`);
  return `{${members.join(',')}}`;
}

function firstPresent(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  for (const item of value) {
    const found = firstPresent(item);
    if (found !== null && found !== undefined) return found;
  }
  return undefined;
}

/** The mode of a column whose source values are pg's default parsings: from the first value that tells. */
export function looseMode(values: Iterable<unknown>): ColumnMode {
  for (const raw of values) {
    const value = firstPresent(raw);
    if (value === null || value === undefined || typeof value !== 'object') continue;
    if (value instanceof Date) return 'instant';
    if (ArrayBuffer.isView(value)) return 'bytes';
    if (isPgInterval(value)) return 'interval';
    return 'json';
  }
  return 'loose';
}
