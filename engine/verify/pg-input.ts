/**
 * A graph value as Postgres input text, to look a graph key up in the source (`col = $1`, the parameter's type
 * inferred from the column). Only a pre-filter: the rows found are shaped again and compared exactly, so a
 * text that Postgres reads slightly differently can only make a key look absent, never present.
 */
import neo4j from 'neo4j-driver';
import { kindOf } from '../values/graph-kind';

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');
const num = (value: unknown) => Number(String(value));

function dateText(value: { year: unknown; month: unknown; day: unknown }): string {
  const year = num(value.year);
  // Postgres has no year 0 and no negative years: ISO year -43 is 44 BC
  const shown = year <= 0 ? `${pad(1 - year, 4)}` : pad(year, 4);
  return `${shown}-${pad(num(value.month))}-${pad(num(value.day))}${year <= 0 ? ' BC' : ''}`;
}

function timeText(value: { hour: unknown; minute: unknown; second: unknown; nanosecond: unknown }): string {
  const nanos = pad(num(value.nanosecond), 9);
  return `${pad(num(value.hour))}:${pad(num(value.minute))}:${pad(num(value.second))}.${nanos}`;
}

function offsetText(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}:${pad(abs % 60)}`;
}

function zoneText(value: { timeZoneOffsetSeconds?: unknown; timeZoneId?: unknown }): string {
  if (typeof value.timeZoneId === 'string' && value.timeZoneId) return ` ${value.timeZoneId}`;
  return offsetText(num(value.timeZoneOffsetSeconds ?? 0));
}

function durationText(value: { months: unknown; days: unknown; seconds: unknown; nanoseconds: unknown }): string {
  const total = BigInt(String(value.seconds)) * 1_000_000_000n + BigInt(String(value.nanoseconds));
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  return `${String(value.months)} months ${String(value.days)} days ${sign}${abs / 1_000_000_000n}.${pad(abs % 1_000_000_000n, 9)} seconds`;
}

/** The text Postgres reads as this value, or undefined when no source column can hold it (a list, a map). */
export function postgresInputText(value: unknown): string | null | undefined {
  switch (kindOf(value)) {
    case 'Absent':
      return null;
    case 'Integer':
      return typeof value === 'bigint' ? value.toString() : neo4j.int(value as never).toString();
    case 'Float': {
      const n = value as number;
      if (Number.isNaN(n)) return 'NaN';
      if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
      return Object.is(n, -0) ? '-0' : String(n);
    }
    case 'String':
      return value as string;
    case 'Boolean':
      return value ? 'true' : 'false';
    case 'Bytes': {
      const view = value as ArrayBufferView;
      return `\\x${Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('hex')}`;
    }
    case 'Date':
      return dateText(value as never);
    case 'LocalDateTime':
      return `${dateText(value as never)} ${timeText(value as never)}`.replace(/^(.*) BC (.*)$/, '$1 $2 BC');
    case 'DateTime':
      return `${dateText(value as never)} ${timeText(value as never)}${zoneText(value as never)}`.replace(/^(.*) BC (.*)$/, '$1 $2 BC');
    case 'LocalTime':
      return timeText(value as never);
    case 'Time':
      return `${timeText(value as never)}${offsetText(num((value as { timeZoneOffsetSeconds: unknown }).timeZoneOffsetSeconds))}`;
    case 'Duration':
      return durationText(value as never);
    case 'Point': {
      const point = value as { x: number; y: number };
      return `(${point.x},${point.y})`;
    }
    default:
      return undefined;
  }
}
