/**
 * A parser for the text Postgres prints for arrays: `{1,2,NULL}`, `{"a b","say \"hi\"",NULL,"NULL"}`,
 * `{}`, `{{1,2},{3,4}}` and `[0:1]={7,8}` (non-default lower bounds). Elements come out as the text
 * Postgres printed for them (or null), ready for the element's own converter.
 */
import { ValueError } from '../value-error';

export type ArrayTree = Array<string | null | ArrayTree>;

export interface ParsedArray {
  items: ArrayTree;
  /** 1 for a plain list; 2 or more for multi-dimensional arrays. */
  depth: number;
  /** Whether any element (at any depth) is NULL. */
  hasNull: boolean;
}

const WHITESPACE = /\s/;

class Scanner {
  pos = 0;
  depth = 0;
  hasNull = false;
  constructor(
    readonly text: string,
    readonly delimiter: string,
  ) {}

  fail(what: string): never {
    throw new ValueError(`malformed array literal (${what} at character ${this.pos + 1})`, this.text);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && WHITESPACE.test(this.text[this.pos])) this.pos++;
  }

  list(level: number): ArrayTree {
    if (this.text[this.pos] !== '{') this.fail('expected "{"');
    this.pos++;
    this.depth = Math.max(this.depth, level);
    const items: ArrayTree = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '{') items.push(this.list(level + 1));
      else if (c === '"') items.push(this.quoted());
      else items.push(this.unquoted());
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return items;
      if (next !== this.delimiter) this.fail(`expected "${this.delimiter}" or "}"`);
    }
  }

  quoted(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated quoted element');
      const c = this.text[this.pos++];
      if (c === '"') return out;
      if (c === '\\') {
        if (this.pos >= this.text.length) this.fail('dangling backslash');
        out += this.text[this.pos++];
      } else {
        out += c;
      }
    }
  }

  unquoted(): string | null {
    let out = '';
    let escaped = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === this.delimiter || c === '}') break;
      if (c === '{' || c === '"') this.fail(`unexpected "${c}"`);
      this.pos++;
      if (c === '\\') {
        if (this.pos >= this.text.length) this.fail('dangling backslash');
        out += this.text[this.pos++];
        escaped = true;
      } else {
        out += c;
      }
    }
    const trimmed = out.trimEnd();
    if (trimmed === '') this.fail('empty element');
    if (!escaped && trimmed.toUpperCase() === 'NULL') {
      this.hasNull = true;
      return null;
    }
    return trimmed;
  }
}

export function parseArrayLiteral(text: string, delimiter = ','): ParsedArray {
  const scanner = new Scanner(text, delimiter);
  if (text[0] === '[') {
    // dimension decoration "[lo:hi][lo:hi]=": the bounds are not kept (a list has none)
    const eq = text.indexOf('=');
    if (eq < 0) scanner.fail('dimension decoration without "="');
    scanner.pos = eq + 1;
  }
  scanner.skipSpace();
  const items = scanner.list(1);
  scanner.skipSpace();
  if (scanner.pos !== text.length) scanner.fail('text after the closing "}"');
  return { items, depth: scanner.depth, hasNull: scanner.hasNull };
}
