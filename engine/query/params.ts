/**
 * Query parameters from JavaScript to the driver's types under one rule (README.md, Graph query): the value a
 * parameter has in JavaScript decides its Cypher type, never a guess from its text.
 */
import neo4j from 'neo4j-driver';
import { Pg2GraphError } from '../core/errors';

function refuse(path: string, what: string): never {
  throw new Pg2GraphError('QUERY_INPUT_INVALID', `graph query parameter "${path}" is ${what}, which has no Cypher value`, { parameter: path });
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * One parameter value: a whole JS number within ±(2^53-1) -> Integer (neo4j.int), a bigint -> Integer (refused
 * beyond 64 bits), any other number -> Float (fractions, NaN, ±Infinity, -0, and whole numbers beyond 2^53, which
 * a double no longer holds exactly: neo4j.int would clamp them);
 * strings, booleans and null as they are (undefined -> null); a JS Date -> DateTime at offset 0 (milliseconds);
 * arrays -> lists and plain objects -> maps, member by member; a value of the driver's own types (Integer,
 * temporal, Point) passes as it is. Anything else (a function, a symbol, a Buffer, a class instance) is refused,
 * naming the parameter's path.
 */
function toDriver(value: unknown, path: string): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? neo4j.int(value) : value;
    case 'bigint':
      if (value > 9223372036854775807n || value < -9223372036854775808n) refuse(path, `the integer ${value.toString()}, beyond 64 bits,`);
      return neo4j.int(value.toString());
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return refuse(path, `a ${typeof value}`);
  }
  const object = value;
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) refuse(path, 'an invalid Date');
    return neo4j.types.DateTime.fromStandardDate(object);
  }
  if (Array.isArray(object)) return object.map((item, i) => toDriver(item, `${path}[${i}]`));
  if (neo4j.isInt(object) || neo4j.isPoint(object) || isDriverTemporal(object)) return object;
  if (!isPlainObject(object)) refuse(path, `an object of class ${object.constructor?.name ?? 'unknown'}`);
  const map: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(object)) map[key] = toDriver(member, `${path}.${key}`);
  return map;
}

function isDriverTemporal(value: object): boolean {
  return (
    neo4j.isDate(value) || neo4j.isDateTime(value) || neo4j.isLocalDateTime(value) || neo4j.isTime(value) || neo4j.isLocalTime(value) || neo4j.isDuration(value)
  );
}

/** The parameters of one query in the driver's types; anything but a plain object (or nothing) is refused. */
export function toDriverParams(params: unknown): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params) || !isPlainObject(params)) {
    throw new Pg2GraphError('QUERY_INPUT_INVALID', 'graph query parameters must be an object of name -> value (msg.params)', { parameter: '' });
  }
  const converted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) converted[name] = toDriver(value, name);
  return converted;
}
