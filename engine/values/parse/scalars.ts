/** Postgres scalar text -> graph values: integers, floats, booleans, bytea, point, hstore. */
import { Integer, Point, int } from 'neo4j-driver';
import { ValueError } from '../value-error';

const INTEGER_TEXT = /^[+-]?\d+$/;
/** numeric text whose fraction is all zeros ("12.00") is still a whole number */
const WHOLE_NUMERIC_TEXT = /^([+-]?\d+)(?:\.0*)?$/;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
/** Up to 15 digits always fit a double exactly: the fast path. */
const SAFE_DIGITS = 15;

function integerOf(digits: string, text: string): Integer {
  const unsigned = digits.replace(/^[+-]/, '');
  if (unsigned.length <= SAFE_DIGITS) return int(Number(digits));
  const value = BigInt(digits);
  if (value < MIN_INT64 || value > MAX_INT64) throw new ValueError('integer outside the 64-bit range of Neo4j Integer', text);
  return int(value.toString());
}

/** int2/int4/int8/oid text -> neo4j Integer (exact, all 64 bits). */
export function parseInteger(text: string): Integer {
  if (!INTEGER_TEXT.test(text)) throw new ValueError('malformed integer text', text);
  return integerOf(text, text);
}

/** numeric text -> neo4j Integer when it is a whole number; a fraction, NaN or Infinity is an error. */
export function parseWholeNumeric(text: string): Integer {
  const m = WHOLE_NUMERIC_TEXT.exec(text);
  if (!m) {
    const kind = /^[+-]?(NaN|Infinity)$/.test(text) ? 'numeric NaN or Infinity has no Integer form' : 'numeric with a fraction cannot be an Integer';
    throw new ValueError(kind, text);
  }
  return integerOf(m[1], text);
}

/** float4/float8/numeric/integer text -> JS number (Neo4j Float); NaN, ±Infinity and -0 survive. */
export function parseFloatText(text: string): number {
  const value = Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new ValueError('malformed number text', text);
  return value;
}

export function parseBoolean(text: string): boolean {
  if (text === 't' || text === 'true') return true;
  if (text === 'f' || text === 'false') return false;
  throw new ValueError('malformed boolean text', text);
}

const HEX_BYTEA = /^\\x([0-9a-fA-F]*)$/;

/**
 * bytea (bytea_output hex, pinned by the reader) -> Int8Array: neo4j-driver sends an Int8Array as Bolt
 * bytes (byte[] in Neo4j); a Buffer or Uint8Array would go as a list of floats.
 */
export function parseBytea(text: string): Int8Array {
  const m = HEX_BYTEA.exec(text);
  if (!m || m[1].length % 2 !== 0) throw new ValueError('malformed bytea text (expected bytea_output hex)', text);
  const bytes = Buffer.from(m[1], 'hex');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const POINT_TEXT = /^\(([^,()]+),([^,()]+)\)$/;
const CARTESIAN_2D = 7203;

export function parsePoint(text: string): Point<number> {
  const m = POINT_TEXT.exec(text);
  if (!m) throw new ValueError('malformed point text', text);
  return new Point(CARTESIAN_2D, parseFloatText(m[1]), parseFloatText(m[2]));
}

/**
 * hstore text (`"a"=>"1", "b"=>NULL`) -> JSON object text (`{"a":"1","b":null}`), in the order Postgres
 * printed the keys.
 */
export function hstoreToJson(text: string): string {
  const pairs: string[] = [];
  let pos = 0;
  const fail = (what: string): never => {
    throw new ValueError(`malformed hstore text (${what} at character ${pos + 1})`, text);
  };
  const quoted = (): string => {
    if (text[pos] !== '"') fail("expected '\"'");
    pos++;
    let value = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated quoted string');
      const c = text[pos++];
      if (c === '"') return value;
      value += c === '\\' ? (text[pos++] ?? fail('dangling backslash')) : c;
    }
  };
  const skipSpace = () => {
    while (text[pos] === ' ') pos++;
  };
  skipSpace();
  while (pos < text.length) {
    const key = quoted();
    skipSpace();
    if (text.slice(pos, pos + 2) !== '=>') fail('expected "=>"');
    pos += 2;
    skipSpace();
    let value: string | null = null;
    if (text.slice(pos, pos + 4) === 'NULL') pos += 4;
    else value = quoted();
    pairs.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    skipSpace();
    if (pos < text.length) {
      if (text[pos] !== ',') fail('expected ","');
      pos++;
      skipSpace();
    }
  }
  return `{${pairs.join(',')}}`;
}
