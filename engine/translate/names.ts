/**
 * Cypher variable names for the translation: readable (the SQL alias when it is a plain identifier), never a
 * keyword, and distinct from each other and from the output column names, so ORDER BY and WITH never mean
 * the wrong one.
 */
import { quoteName } from '../cypher/names';

const KEYWORDS = new Set(
  (
    'all and any as asc ascending by call case contains count create csv delete desc descending detach distinct else end ends exists ' +
    'false foreach from in is key limit load match merge node none not null on optional or order remove return set single skip starts ' +
    'then true union unique unwind use using when where with xor yield'
  ).split(' '),
);

export class VariableNames {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string>) {
    for (const name of reserved) this.taken.add(name.toLowerCase());
  }

  /** A fresh variable, as Cypher text. */
  allocate(preferred: string): string {
    const base = /^[A-Za-z_][A-Za-z0-9_]*$/.test(preferred) && !KEYWORDS.has(preferred.toLowerCase()) ? preferred : 'v';
    let name = base;
    for (let i = 2; this.taken.has(name.toLowerCase()); i += 1) name = `${base}${i}`;
    this.taken.add(name.toLowerCase());
    return name;
  }
}

/** A Cypher string literal holding exactly the text. */
export function stringLiteral(text: string): string {
  let out = "'";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

export { quoteName };
