/** README's tables of error codes against ERROR_CODES: the same codes, and in "Error codes" the same text. */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import { ERROR_CODES, type ErrorCode } from '../../dist/engine/core';

const README = path.resolve(__dirname, '..', '..', 'README.md');

/** The body of the README section with this `## ` heading (up to the next one). */
function section(text: string, heading: string): string {
  const parts = text.split(/^## /m);
  const found = parts.filter((part) => part.split('\n', 1)[0].trim() === heading);
  assert.equal(found.length, 1, `README has one section "## ${heading}"`);
  return found[0];
}

interface CodeRow {
  line: string;
  codes: string[];
  meaning: string;
}

/** The rows of the `| code | meaning |` tables in a section: the codes of the first cell, the second cell. */
function codeRows(body: string): CodeRow[] {
  const lines = body.split('\n');
  const rows: CodeRow[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^\|\s*code\s*\|\s*meaning\s*\|$/.test(lines[i].trim())) continue;
    assert.match(lines[i + 1] ?? '', /^\|(\s*:?-+:?\s*\|){2}$/, `a separator row after the header: ${lines[i]}`);
    for (i += 2; i < lines.length && lines[i].startsWith('|'); i += 1) {
      const line = lines[i];
      const cells = line
        .trim()
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split('|')
        .map((cell) => cell.trim());
      assert.equal(cells.length, 2, `two cells: ${line}`);
      assert.match(cells[0], /^`[A-Z][A-Z0-9_]*`(, `[A-Z][A-Z0-9_]*`)*$/, `the first cell holds only codes: ${line}`);
      rows.push({ line, codes: [...cells[0].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]), meaning: cells[1] });
    }
  }
  return rows;
}

const known = new Set(Object.keys(ERROR_CODES));

describe('error codes', () => {
  const readme = fs.readFileSync(README, 'utf8');

  it('has a one-line meaning for every code, fit for a table cell', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, code);
      assert.ok(meaning.trim() === meaning && meaning.length > 0, `${code}: a meaning without surrounding space`);
      assert.doesNotMatch(meaning, /[|\n]/, `${code}: no "|" or line break in the meaning`);
    }
  });

  it('README "Error codes" documents exactly the codes of ERROR_CODES, each with its meaning', () => {
    const rows = codeRows(section(readme, 'Error codes'));
    assert.ok(rows.length > 0, 'the section has a code table');
    const documented: string[] = [];
    for (const row of rows) {
      assert.equal(row.codes.length, 1, `one code per row: ${row.line}`);
      documented.push(row.codes[0]);
    }
    const duplicates = documented.filter((code, i) => documented.indexOf(code) !== i);
    assert.deepEqual(duplicates, [], 'each code documented once');
    const missing = [...known].filter((code) => !documented.includes(code));
    const unknown = documented.filter((code) => !known.has(code));
    assert.deepEqual({ missing, unknown }, { missing: [], unknown: [] }, 'the table and ERROR_CODES name the same codes');
    for (const row of rows) {
      assert.equal(row.meaning, ERROR_CODES[row.codes[0] as ErrorCode], `the meaning of ${row.codes[0]} is the text of ERROR_CODES`);
    }
  });

  it('README "Connections" names only known codes in its table', () => {
    const rows = codeRows(section(readme, 'Connections'));
    assert.ok(rows.length > 0, 'the section has a code table');
    const unknown = rows.flatMap((row) => row.codes).filter((code) => !known.has(code));
    assert.deepEqual(unknown, [], 'every code in the connections table is in ERROR_CODES');
  });
});
