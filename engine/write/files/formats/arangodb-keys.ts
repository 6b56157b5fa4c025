/**
 * ArangoDB names for an export (docs/export-id-formats.md): collection names under the traditional naming rule
 * every version takes, and document keys (`_key`) from node keys.
 *
 * A key part is its text (integers in decimal, temporals in ISO form: idText) with every character outside
 * ArangoDB's key alphabet percent-encoded as UTF-8 bytes, and also `%` (so decoding is unambiguous), `:` (joins
 * the parts of a composite key) and `@` (joins the ends of an edge key). A key longer than ArangoDB's 254 bytes
 * becomes `%H` and the SHA-256 of its text in hex: no encoded key starts like that (an encoded `%` is always
 * followed by two hex digits), and the key properties are always written as properties too.
 */
import crypto from 'crypto';
import { Pg2GraphError } from '../../../core/errors';
import { idText } from '../../../cypher/neptune-id';

/** Letters, digits, `_` and `-`, starting with a letter, at most 64 bytes: valid on every ArangoDB version. */
export const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** ArangoDB's `_key` alphabet, 1 to 254 bytes. */
export const KEY_TEXT = /^[A-Za-z0-9_\-.@()+,=;$!*'%:]{1,254}$/;
export const MAX_KEY_BYTES = 254;

/** Kept as they are: the key alphabet without `%`, `:` and `@`. */
const PLAIN = /[A-Za-z0-9_\-.()+,=;$!*']/;

export function checkedCollection(format: string, entry: string, name: string, what: string): string {
  if (!COLLECTION_NAME.test(name)) {
    throw new Pg2GraphError(
      'EXPORT_PLAN_UNSUPPORTED',
      `${format}: entry ${entry}, ${what} "${name}": an ArangoDB collection name is 1 to 64 letters, digits, "_" or "-", starting with a letter; rename it in the plan`,
      { entry, label: name },
    );
  }
  return name;
}

export function encodeKeyPart(text: string): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function bounded(key: string): string {
  return Buffer.byteLength(key) <= MAX_KEY_BYTES ? key : `%H${crypto.createHash('sha256').update(key).digest('hex')}`;
}

/** The `_key` of a node: its key values' parts, encoded and joined by `:`. */
export function documentKey(keyValues: readonly unknown[]): string {
  return bounded(keyValues.map((value) => encodeKeyPart(idText(value))).join(':'));
}

/** The `_key` of an edge: start collection, start key, end collection, end key, joined by `@`. */
export function edgeKey(fromCollection: string, fromKey: string, toCollection: string, toKey: string): string {
  return bounded([fromCollection, fromKey, toCollection, toKey].join('@'));
}
