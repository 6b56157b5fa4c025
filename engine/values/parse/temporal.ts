/**
 * Postgres temporal text (DateStyle ISO, TimeZone UTC, pinned by the reader) -> neo4j-driver temporal types,
 * field by field: never through JS Date, which drops microseconds and cannot hold BC or far-future dates.
 * ISO 8601 spellings ("T" separator, "Z") are accepted too, for values computed by expressions.
 */
import { Date as GraphDate, DateTime, LocalDateTime, LocalTime, Time } from 'neo4j-driver';
import { ValueError } from '../value-error';

const DATE = String.raw`(\d{4,})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?`;
const OFFSET = String.raw`(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)`;
const ERA = String.raw`( BC)?`;

const DATE_TEXT = new RegExp(`^${DATE}${ERA}$`);
const TIMESTAMP_TEXT = new RegExp(`^${DATE}[ T]${TIME}${ERA}$`);
const TIMESTAMPTZ_TEXT = new RegExp(`^${DATE}[ T]${TIME}${OFFSET}${ERA}$`);
const TIME_TEXT = new RegExp(`^${TIME}$`);
const TIMETZ_TEXT = new RegExp(`^${TIME}${OFFSET}$`);

/** Postgres counts 1 BC, 2 BC, ...; ISO (and Neo4j) count 0, -1, ... */
function year(digits: string, era: string | undefined): number {
  const y = Number(digits);
  return era ? 1 - y : y;
}

function nanos(fraction: string | undefined): number {
  return fraction ? Number(fraction.padEnd(9, '0')) : 0;
}

/** "+05:30" -> 19800 seconds; "Z" -> 0. */
export function offsetSeconds(text: string): number {
  if (text === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(/:/g, '');
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4) || '0');
  const s = Number(digits.slice(4, 6) || '0');
  return sign * (h * 3600 + m * 60 + s);
}

function hour(text: string, value: string, kind: string): number {
  const h = Number(text);
  if (h === 24) {
    // Postgres allows 24:00:00 as the end of a day; Neo4j time types stop at 23:59:59.999999999
    throw new ValueError(`${kind} 24:00:00, which Neo4j ${kind === 'time' ? 'LocalTime' : 'Time'} cannot hold (use "as": "string")`, value);
  }
  return h;
}

export function parseDate(text: string): GraphDate<number> {
  const m = DATE_TEXT.exec(text);
  if (!m) throw new ValueError('malformed date text', text);
  return new GraphDate(year(m[1], m[4]), Number(m[2]), Number(m[3]));
}

export function parseLocalDateTime(text: string): LocalDateTime<number> {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) throw new ValueError('malformed timestamp text', text);
  return new LocalDateTime(year(m[1], m[8]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), nanos(m[7]));
}

export function parseDateTime(text: string): DateTime<number> {
  const m = TIMESTAMPTZ_TEXT.exec(text);
  if (!m) throw new ValueError('malformed timestamptz text', text);
  return new DateTime(year(m[1], m[9]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), nanos(m[7]), offsetSeconds(m[8]));
}

export function parseLocalTime(text: string): LocalTime<number> {
  const m = TIME_TEXT.exec(text);
  if (!m) throw new ValueError('malformed time text', text);
  return new LocalTime(hour(m[1], text, 'time'), Number(m[2]), Number(m[3]), nanos(m[4]));
}

export function parseTime(text: string): Time<number> {
  const m = TIMETZ_TEXT.exec(text);
  if (!m) throw new ValueError('malformed timetz text', text);
  return new Time(hour(m[1], text, 'timetz'), Number(m[2]), Number(m[3]), nanos(m[4]), offsetSeconds(m[5]));
}

/** 'infinity' and '-infinity' (dates, timestamps and, since PG 17, intervals). */
export function isInfinity(text: string): boolean {
  return text === 'infinity' || text === '-infinity';
}
