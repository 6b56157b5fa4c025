/**
 * Graph values as plain JavaScript (README.md, Graph query): what a JSONata expression sees of a shaped row and
 * what graph query returns as row values, one set of rules for both.
 */
import { DateTime, isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isNode, isPath, isPoint, isRelationship, isTime } from 'neo4j-driver';
import { isFlattened } from './parse/json-flatten';

/**
 * The ISO 8601 text of a neo4j temporal or duration value (every digit kept: nanoseconds, offset; a zone id in
 * brackets after the offset, as Cypher prints it); undefined for anything else.
 */
function temporalText(value: object): string | undefined {
  if (isDateTime(value) && value.timeZoneId && value.timeZoneOffsetSeconds !== undefined && value.timeZoneOffsetSeconds !== null) {
    // the driver prints only the zone id then; the offset the server computed makes the text ISO 8601
    const seconds = Number(value.timeZoneOffsetSeconds);
    const local = new DateTime(
      Number(value.year),
      Number(value.month),
      Number(value.day),
      Number(value.hour),
      Number(value.minute),
      Number(value.second),
      Number(value.nanosecond),
      seconds,
    );
    return `${local.toString()}[${value.timeZoneId}]`;
  }
  if (isDate(value) || isDateTime(value) || isLocalDateTime(value) || isLocalTime(value) || isTime(value) || isDuration(value)) return value.toString();
  return undefined;
}

function plainMap(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, member] of entries) object[key] = toJsNative(member);
  return object;
}

/**
 * A graph value as plain JavaScript: Integer -> number within ±(2^53-1), beyond it the string of its exact digits
 * (a bigint likewise); Float, String, Boolean as they are; temporal values and durations -> ISO 8601 text;
 * bytes -> lowercase hex text; points -> { srid, x, y } (z for 3-D points); lists -> arrays and maps -> objects,
 * member by member; a node -> { labels, properties }, a relationship -> { type, properties }, a path -> { nodes,
 * relationships }; flattened json (shaping) -> an object of its members; null and undefined -> null.
 */
export function toJsNative(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value !== 'object') return value;
  if (isInt(value)) {
    return value.inSafeRange() ? value.toNumber() : value.toString();
  }
  if (Array.isArray(value)) return value.map(toJsNative);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (isPoint(value)) {
    const point: Record<string, number> = { srid: Number(value.srid), x: value.x, y: value.y };
    if (value.z !== undefined && value.z !== null) point.z = value.z;
    return point;
  }
  const temporal = temporalText(value);
  if (temporal !== undefined) return temporal;
  if (isNode(value)) return { labels: [...value.labels], properties: plainMap(Object.entries(value.properties)) };
  if (isRelationship(value)) return { type: value.type, properties: plainMap(Object.entries(value.properties)) };
  if (isPath(value)) {
    return {
      nodes: [value.start, ...value.segments.map((segment) => segment.end)].map(toJsNative),
      relationships: value.segments.map((segment) => toJsNative(segment.relationship)),
    };
  }
  if (isFlattened(value)) {
    const object: Record<string, unknown> = {};
    for (const [key, member] of value.members)
      object[key] = typeof member === 'string' && /^[[{]/.test(member) ? (JSON.parse(member) as unknown) : toJsNative(member);
    return value.self !== undefined ? (JSON.parse(value.self) as unknown) : object;
  }
  if (value instanceof Date) return value;
  return plainMap(Object.entries(value));
}
