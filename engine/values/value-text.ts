/**
 * Graph values as text for the targets that lack the type (Neptune, ArangoDB, Gremlin; see
 * README, Offline exports: Neptune and ArangoDB): ISO 8601 for temporals and durations, base64 for bytes, EWKT for points, and
 * JSON with exact integers for lists. Every text is exact: it reads back as the same value.
 */
import neo4j from 'neo4j-driver';
import { bytesOf, integerText, kindOf } from './graph-kind';

/** The driver's ISO text without the trailing zeros of a fraction ("23:59:59.999999000Z" -> "23:59:59.999999Z"). */
export function isoText(value: unknown): string {
  return String(value)
    .replace(/\.(\d*[1-9])0+(?!\d)/, '.$1')
    .replace(/\.0+(?!\d)/, '');
}

export function base64Text(value: ArrayBufferView): string {
  return Buffer.from(bytesOf(value)).toString('base64');
}

/** The shortest text that reads back as the same double; -0 keeps its sign. */
export function floatText(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  return String(value);
}

/** "SRID=7203;POINT(1.5 2)" (3-D: "POINT Z(x y z)"): extended WKT, as PostGIS prints it. */
export function pointText(value: unknown): string {
  const point = value as { srid: unknown; x: number; y: number; z?: number };
  const srid = integerText(neo4j.isInt(point.srid) ? point.srid.toString() : point.srid);
  const coordinates = [point.x, point.y, ...(point.z === undefined ? [] : [point.z])].map(floatText).join(' ');
  return `SRID=${srid};POINT${point.z === undefined ? '' : ' Z'}(${coordinates})`;
}

/**
 * A graph value as JSON text: integers as exact JSON numbers ('digits') or, beyond 2^53, as decimal strings
 * ('safe'); NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"; temporals, durations and points as
 * their text, bytes as base64, lists as arrays.
 */
export function exactJson(value: unknown, integers: 'digits' | 'safe'): string {
  switch (kindOf(value)) {
    case 'Absent':
      return 'null';
    case 'Integer': {
      const text = integerText(value);
      return integers === 'digits' || Number.isSafeInteger(Number(text)) ? text : JSON.stringify(text);
    }
    case 'Float': {
      const number = value as number;
      return Number.isFinite(number) ? (Object.is(number, -0) ? '-0' : String(number)) : JSON.stringify(String(number));
    }
    case 'String':
    case 'Boolean':
      return JSON.stringify(value);
    case 'Bytes':
      return JSON.stringify(base64Text(value as ArrayBufferView));
    case 'Point':
      return JSON.stringify(pointText(value));
    case 'List':
      return `[${(value as unknown[]).map((item) => exactJson(item, integers)).join(',')}]`;
    case 'Map':
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([name, item]) => `${JSON.stringify(name)}:${exactJson(item, integers)}`)
        .join(',')}}`;
    default:
      return JSON.stringify(isoText(value));
  }
}
