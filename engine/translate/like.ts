/**
 * A LIKE pattern (a literal: Postgres' default escape is the backslash) as the Cypher predicate that means the
 * same: equality, STARTS WITH, ENDS WITH, CONTAINS, or a regular expression with every literal character
 * escaped (`(?s)` so that `%` and `_` match line breaks, as in Postgres).
 */
import { stringLiteral } from './names';

type Piece = { literal: string } | { any: true } | { one: true };

/** The pattern's pieces, or undefined when it ends in a lone escape (an error in Postgres). */
function pieces(pattern: string): Piece[] | undefined {
  const out: Piece[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i];
    if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined;
      i += 1;
      pushLiteral(out, chars[i]);
    } else if (ch === '%') {
      if (!(out.length && 'any' in out[out.length - 1])) out.push({ any: true });
    } else if (ch === '_') out.push({ one: true });
    else pushLiteral(out, ch);
  }
  return out;
}

function pushLiteral(out: Piece[], ch: string): void {
  const last = out[out.length - 1];
  if (last && 'literal' in last) last.literal += ch;
  else out.push({ literal: ch });
}

function regexOf(list: Piece[]): string {
  let regex = '(?s)';
  for (const piece of list) {
    if ('any' in piece) regex += '.*';
    else if ('one' in piece) regex += '.';
    else for (const ch of piece.literal) regex += /[A-Za-z0-9]/.test(ch) || ch.codePointAt(0)! > 0x7f ? ch : `\\${ch}`;
  }
  return regex;
}

/** The Cypher predicate for `subject LIKE pattern`, or undefined for a pattern Postgres would refuse. */
export function likePredicate(subject: string, pattern: string): string | undefined {
  const list = pieces(pattern);
  if (!list) return undefined;
  const isLiteral = (p: Piece | undefined): p is { literal: string } => !!p && 'literal' in p;
  const isAny = (p: Piece | undefined) => !!p && 'any' in p;
  if (list.length === 0) return `(${subject} = '')`;
  if (list.length === 1 && isLiteral(list[0])) return `(${subject} = ${stringLiteral(list[0].literal)})`;
  if (list.length === 1 && isAny(list[0])) return `(${subject} STARTS WITH '')`;
  if (list.length === 2 && isLiteral(list[0]) && isAny(list[1])) return `(${subject} STARTS WITH ${stringLiteral(list[0].literal)})`;
  if (list.length === 2 && isAny(list[0]) && isLiteral(list[1])) return `(${subject} ENDS WITH ${stringLiteral(list[1].literal)})`;
  if (list.length === 3 && isAny(list[0]) && isLiteral(list[1]) && isAny(list[2])) return `(${subject} CONTAINS ${stringLiteral(list[1].literal)})`;
  return `(${subject} =~ ${stringLiteral(regexOf(list))})`;
}
