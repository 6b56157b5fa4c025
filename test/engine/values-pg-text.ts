/**
 * Test-side formatting of graph values read back from Neo4j into the text Postgres prints for them (DateStyle
 * ISO, IntervalStyle iso_8601, TimeZone UTC), written independently of the converters so a round trip is
 * compared against Postgres itself, not against the code under test.
 */
import neo4j, { type Integer, type Date as GraphDate, type LocalDateTime, type DateTime, type LocalTime, type Time, type Duration } from 'neo4j-driver';

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');

function fraction(nanos: number): string {
  if (!nanos) return '';
  return `.${pad(Math.round(nanos / 1000), 6)}`.replace(/0+$/, '');
}

function dateText(year: number, month: number, day: number): { text: string; era: string } {
  const bc = year <= 0;
  return { text: `${pad(bc ? 1 - year : year, 4)}-${pad(month)}-${pad(day)}`, era: bc ? ' BC' : '' };
}

function offsetText(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  return `${sign}${pad(h)}${m || s ? `:${pad(m)}` : ''}${s ? `:${pad(s)}` : ''}`;
}

function timeText(v: { hour: unknown; minute: unknown; second: unknown; nanosecond: unknown }): string {
  return `${pad(Number(v.hour))}:${pad(Number(v.minute))}:${pad(Number(v.second))}${fraction(Number(v.nanosecond))}`;
}

/** Postgres' iso_8601 interval output from months, days and microseconds (every field truncated toward zero). */
function intervalText(d: Duration): string {
  const months = Number(d.months);
  const days = Number(d.days);
  const micros = BigInt(String(d.seconds)) * 1_000_000n + BigInt(Number(d.nanoseconds)) / 1000n;
  if (months === 0 && days === 0 && micros === 0n) return 'PT0S';
  const years = Math.trunc(months / 12);
  const mons = months % 12;
  const hours = micros / 3_600_000_000n;
  let rest = micros - hours * 3_600_000_000n;
  const minutes = rest / 60_000_000n;
  rest -= minutes * 60_000_000n;
  let out = 'P';
  if (years) out += `${years}Y`;
  if (mons) out += `${mons}M`;
  if (days) out += `${days}D`;
  if (hours || minutes || rest) out += 'T';
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (rest) {
    const abs = rest < 0n ? -rest : rest;
    const whole = abs / 1_000_000n;
    const frac = abs % 1_000_000n;
    out += `${rest < 0n ? '-' : ''}${whole}${frac ? `.${pad(frac, 6)}`.replace(/0+$/, '') : ''}S`;
  }
  return out;
}

/** The Postgres text of a scalar graph value, or undefined when the value is not of a kind formatted here. */
export function pgText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (neo4j.isInt(value)) return (value as Integer).toString();
  if (value instanceof Int8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex')}`;
  if (neo4j.isDate(value as object)) {
    const v = value as GraphDate;
    const d = dateText(Number(v.year), Number(v.month), Number(v.day));
    return `${d.text}${d.era}`;
  }
  if (neo4j.isLocalDateTime(value as object)) {
    const v = value as LocalDateTime;
    const d = dateText(Number(v.year), Number(v.month), Number(v.day));
    return `${d.text} ${timeText(v)}${d.era}`;
  }
  if (neo4j.isDateTime(value as object)) {
    const v = value as DateTime;
    const d = dateText(Number(v.year), Number(v.month), Number(v.day));
    return `${d.text} ${timeText(v)}${offsetText(Number(v.timeZoneOffsetSeconds))}${d.era}`;
  }
  if (neo4j.isLocalTime(value as object)) return timeText(value as LocalTime);
  if (neo4j.isTime(value as object)) {
    const v = value as Time;
    return `${timeText(v)}${offsetText(Number(v.timeZoneOffsetSeconds))}`;
  }
  if (neo4j.isDuration(value as object)) return intervalText(value as Duration);
  return undefined;
}

/** Floats compare as numbers (Postgres prints 1e-07 where JS prints 1e-7), with NaN and -0 told apart. */
export function sameFloat(pg: string, graph: unknown): boolean {
  return typeof graph === 'number' && Object.is(Number(pg), graph);
}
