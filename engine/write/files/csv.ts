/**
 * CSV fields as the import tools read them (neo4j-admin, LOAD CSV, the Neptune bulk loader): a field is quoted
 * when it holds the delimiter, a quote, a line break or leading/trailing space, or is the empty string (an
 * unquoted empty field means "no value"); a quote inside is doubled. Backslashes are literal in neo4j-admin and the
 * Neptune loader; LOAD CSV reads `\"` and `\\` inside quotes as escapes by default, which the load-csv format avoids by
 * writing no backslash before a quote or a backslash (formats/load-csv-values.ts).
 */

/** A field that needs quotes to read back as the same text. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field: null/undefined is the empty unquoted field (no property); "" is `""` (the empty string). */
export function csvField(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  if (text === '' || NEEDS_QUOTES.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** One record, ended by a line feed. */
export function csvLine(fields: ReadonlyArray<string | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\n`;
}

/** Whether a text holds a line break (neo4j-admin then needs --multiline-fields=true). */
export function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}
