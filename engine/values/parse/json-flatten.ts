/**
 * The `flatten` rule for json/jsonb: a top-level object becomes one property per key. Each member is cut out
 * of the text exactly as Postgres printed it, so nested values keep their JSON text verbatim and numbers are
 * read from their own digits (never through a lossy JSON.parse round trip of the whole document).
 */
import { ValueError } from '../value-error';
import { parseInteger } from './scalars';

/** Properties from one json value: `members` become `<name>_<key>`; `self` (JSON text) stays `<name>`. */
export interface Flattened {
  readonly flattened: true;
  /** Key -> graph value (string, boolean, Integer, Float, or JSON text for arrays and objects); JSON null omitted. */
  members: Array<[string, unknown]>;
  /** A value that is not an object (array, string, number, boolean): its JSON text, under the column's own name. */
  self?: string;
}

export function isFlattened(value: unknown): value is Flattened {
  return typeof value === 'object' && value !== null && (value as Flattened).flattened === true;
}

const INTEGER_TOKEN = /^-?\d+$/;
const WS = new Set([' ', '\t', '\n', '\r']);

function memberValue(raw: string): unknown {
  const c = raw[0];
  if (c === '{' || c === '[') return raw;
  if (c === '"') return JSON.parse(raw) as string;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (INTEGER_TOKEN.test(raw)) {
    try {
      return parseInteger(raw);
    } catch {
      return Number(raw); // beyond 64 bits: documented as Float
    }
  }
  return Number(raw);
}

/** End (exclusive) of the JSON value starting at `start` (text already known to be valid JSON). */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let pos = start;
  for (; pos < text.length; pos++) {
    const c = text[pos];
    if (c === '"') {
      pos++;
      while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
      if (depth === 0) return pos + 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) return pos;
      depth--;
      if (depth === 0) return pos + 1;
    } else if (depth === 0 && (c === ',' || WS.has(c))) {
      return pos;
    }
  }
  return pos;
}

export function flattenJson(text: string): Flattened {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValueError('malformed JSON text', text);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { flattened: true, members: [], self: parsed === null ? undefined : text.trim() };
  }
  const members: Array<[string, unknown]> = [];
  let pos = text.indexOf('{') + 1;
  const skip = () => {
    while (WS.has(text[pos])) pos++;
  };
  for (;;) {
    skip();
    if (text[pos] === '}') break;
    const keyEnd = valueEnd(text, pos);
    const key = JSON.parse(text.slice(pos, keyEnd)) as string;
    pos = keyEnd;
    skip();
    pos++; // ':'
    skip();
    const end = valueEnd(text, pos);
    const value = memberValue(text.slice(pos, end));
    if (value !== null) members.push([key, value]);
    pos = end;
    skip();
    if (text[pos] === ',') pos++;
  }
  return { flattened: true, members };
}
