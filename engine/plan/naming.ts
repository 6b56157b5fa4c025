/**
 * Naming conventions (see README, Mapping rules): labels UpperCamelCase singular, relationship types UPPER_SNAKE, properties
 * lowerCamelCase. Names are split into words at anything that is not a letter, digit or mark, and at case
 * changes ("OrderID" -> order, id); letters outside ASCII are kept as they are.
 */
import type { NamingOptions } from './types';
import { singularize } from './singular';

const CHUNK = /[\p{L}\p{M}\p{N}]+/gu;
/** Inside a chunk: an upper-case run before a capitalised word (HTTPServer -> HTTP, Server), a word, a run of digits. */
const WORD = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[\p{Ll}\p{Lo}\p{Lm}\p{Lt}\p{M}]+[\p{N}]*|\p{Lu}+[\p{N}]*|[\p{L}\p{M}\p{N}]+/gu;

/** Lower-case words of a name: "billing_address_id" -> [billing, address, id]; "OrderID" -> [order, id]. */
export function words(name: string): string[] {
  const chunks = name.match(CHUNK) ?? [];
  return chunks.flatMap((chunk) => chunk.match(WORD) ?? [chunk]).map((w) => w.toLowerCase());
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function upperCamel(list: string[]): string {
  return list.map(capitalise).join('');
}

/** `order_details` -> `OrderDetail`; the raw name when it has no letters or digits at all. */
export function labelName(table: string, naming?: NamingOptions): string {
  if (naming?.labels === 'asIs') return table;
  const list = words(table);
  if (!list.length) return table;
  list[list.length - 1] = singularize(list[list.length - 1]);
  return upperCamel(list);
}

/** `unit_price` -> `unitPrice`; the raw name when it has no letters or digits at all. */
export function propertyName(column: string, naming?: NamingOptions): string {
  if (naming?.properties === 'asIs') return column;
  const list = words(column);
  if (!list.length) return column;
  return list[0] + upperCamel(list.slice(1));
}

/** Words -> `BILLING_ADDRESS`. */
export function upperSnake(list: string[]): string {
  return list.map((w) => w.toUpperCase()).join('_');
}

/** Words of a table name with the last one singular: `order_details` -> [order, detail]. */
export function singularWords(table: string): string[] {
  const list = words(table);
  if (list.length) list[list.length - 1] = singularize(list[list.length - 1]);
  return list;
}

/** Trailing words that mark a column as a reference rather than a thing of its own. */
const REFERENCE_SUFFIXES = new Set(['id', 'ids', 'fk', 'key', 'ref', 'uuid', 'pk']);

/**
 * The words a relationship type is made of for an FK's columns: `customer_id` -> [customer];
 * `billing_address_id` -> [billing, address]; `product_sku` referencing `sku` -> [product]. Composite FKs use
 * the prefix every column shares once the referenced column's name is taken off (`parent_order_id`,
 * `parent_line_no` referencing `order_id`, `line_no` -> [parent]). Empty when nothing is left: the caller then
 * names the relationship after the referenced table.
 */
export function foreignKeyWords(columns: string[], referencedColumns: string[]): string[] {
  if (columns.length === 1) {
    const list = words(columns[0]);
    const last = list[list.length - 1];
    if (list.length > 1 && REFERENCE_SUFFIXES.has(last)) return list.slice(0, -1);
    return stripSuffix(list, words(referencedColumns[0] ?? ''));
  }
  const prefixes = columns.map((column, i) => stripSuffix(words(column), words(referencedColumns[i] ?? '')));
  const first = prefixes[0];
  const shared = first.length > 0 && prefixes.every((p) => p.length === first.length && p.every((w, i) => w === first[i]));
  return shared ? first : [];
}

/** The words before `suffix` when the list ends with it; the list unchanged otherwise. */
function stripSuffix(list: string[], suffix: string[]): string[] {
  if (!suffix.length || suffix.length > list.length) return list;
  const tail = list.slice(list.length - suffix.length);
  return tail.every((w, i) => w === suffix[i]) ? list.slice(0, list.length - suffix.length) : list;
}
