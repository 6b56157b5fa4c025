/**
 * The kind of a graph value as the neo4j driver holds it (the Cypher type names): what writing checks a property
 * against and what verifying compares. Writing refuses some of what this names (a byte view other than Int8Array,
 * any "Map"); that policy stays with the writer (write/row-check.ts).
 */
import neo4j from 'neo4j-driver';

export type GraphValueKind =
  | 'Absent'
  | 'Integer'
  | 'Float'
  | 'String'
  | 'Boolean'
  | 'Date'
  | 'LocalDateTime'
  | 'DateTime'
  | 'LocalTime'
  | 'Time'
  | 'Duration'
  | 'Point'
  | 'Bytes'
  | 'List'
  | 'Map';

const { isInt, isDate, isDateTime, isLocalDateTime, isLocalTime, isTime, isDuration, isPoint } = neo4j;

/**
 * null and undefined are Absent, a neo4j Integer or a bigint is an Integer, a JS number a Float, any
 * ArrayBuffer view Bytes, an array a List; anything else that is no driver type (an object, a JS Date, a
 * function) is a Map.
 */
export function kindOf(value: unknown): GraphValueKind {
  if (value === null || value === undefined) return 'Absent';
  if (isInt(value) || typeof value === 'bigint') return 'Integer';
  if (typeof value === 'number') return 'Float';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (isDateTime(value)) return 'DateTime';
  if (isLocalDateTime(value)) return 'LocalDateTime';
  if (isDate(value)) return 'Date';
  if (isTime(value)) return 'Time';
  if (isLocalTime(value)) return 'LocalTime';
  if (isDuration(value)) return 'Duration';
  if (isPoint(value)) return 'Point';
  if (ArrayBuffer.isView(value)) return 'Bytes';
  if (Array.isArray(value)) return 'List';
  return 'Map';
}

/** The bytes of a Bytes value, whatever its view (Int8Array from the driver, Buffer, Uint8Array). */
export function bytesOf(value: ArrayBufferView): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** The decimal text of an Integer value (a neo4j Integer or a bigint). */
export function integerText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  // a neo4j Integer prints itself digit by digit in 64-bit arithmetic; within ±2^53 a double prints the same digits, several times faster
  if (isInt(value) && value.inSafeRange()) return String(value.toNumber());
  return String(value);
}
