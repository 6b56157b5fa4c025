/**
 * SQL text -> Postgres' own parse tree (libpg-query embeds the server's parser as WebAssembly; it loads once).
 * Node locations in that tree are byte offsets into the UTF-8 text; `positionOf` turns them into the 1-based
 * character positions Postgres reports.
 */
import { loadModule, parseSync, hasSqlDetails, type Node } from 'libpg-query';
import { invalidInput, unsupported } from './refuse';

let loading: Promise<void> | undefined;

function loaded(): Promise<void> {
  loading ??= loadModule().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export interface ParsedStatement {
  stmt: Node;
  /** 1-based character position of a byte offset of the parse tree; undefined for "no location" (-1). */
  positionOf: (location: number | undefined) => number | undefined;
}

/** Statement node names as the user knows them, for refusals. */
const STATEMENT_NAMES: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  CreateStmt: 'CREATE TABLE',
  ExplainStmt: 'EXPLAIN',
};

export async function parseStatement(sql: string): Promise<ParsedStatement> {
  if (typeof sql !== 'string' || sql.trim() === '') throw invalidInput('The SQL to translate is empty');
  await loaded();
  let tree;
  try {
    tree = parseSync(sql);
  } catch (error) {
    if (hasSqlDetails(error) && error.sqlDetails) {
      const position = error.sqlDetails.cursorPosition + 1;
      throw invalidInput(`The SQL does not parse: ${error.sqlDetails.message} at character ${position}`, { position });
    }
    throw invalidInput(`The SQL does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bytes = Buffer.from(sql, 'utf8');
  const positionOf = (location: number | undefined) =>
    location === undefined || location < 0 ? undefined : [...bytes.subarray(0, location).toString('utf8')].length + 1;
  const statements = tree.stmts ?? [];
  if (statements.length !== 1) {
    const second = statements[1]?.stmt_location;
    throw invalidInput(`The SQL holds ${statements.length} statements; translate one at a time`, {
      statements: statements.length,
      position: positionOf(second),
    });
  }
  const stmt = statements[0].stmt as Node;
  const kind = Object.keys(stmt)[0];
  if (kind !== 'SelectStmt') {
    throw unsupported(STATEMENT_NAMES[kind] ?? kind.replace(/Stmt$/, ' statement'), positionOf(statements[0].stmt_location ?? 0));
  }
  return { stmt, positionOf };
}
