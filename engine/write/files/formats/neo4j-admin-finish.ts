/**
 * The end of a neo4j-admin export (see README, Offline exports: neo4j-admin): the import arguments (paths
 * relative to the export directory), constraints.cypher (the statements the online writer runs before it writes:
 * Community's import cannot create schema, so they run after it) and IMPORT.md with the exact commands.
 */
import { NEO4J_DIALECT } from '../../../cypher/dialects';
import { labelText, quoteName } from '../../../cypher/names';
import type { ValidPlan } from '../../../plan/valid';
import { planSchema } from '../../schema-spec';
import type { EntryLayout, FinishedSet, ManifestFile } from '../format';

/**
 * The tool reads an empty field as no property, so an empty list cannot be a field: its row names the property in
 * this marker column instead, and after-import.cypher sets the list and removes the marker.
 */
export const EMPTY_LISTS = '__pg2graphEmptyLists';
/**
 * A typed column holds one kind: the text a policy gives instead (a date's "infinity", a list's JSON) goes to the
 * string column `__pg2graphText.<name>`, which after-import.cypher moves into the property.
 */
export const TEXT_PREFIX = '__pg2graphText.';
/** EncodedPart notes: a value holds a line break; a row needs after-import.cypher. */
export const MULTILINE = 'multiline';
export const AFTER_IMPORT = 'after-import';

/** What finish() reads of a neo4j-admin layout (neo4j-admin.ts makes them). */
export interface FinishLayout extends EntryLayout {
  name: string;
  marker: boolean;
  columns: Array<{ name: string; type: { list: boolean }; text?: string }>;
}

/** `U+001F`: how the tool takes a character on its command line, safe in any shell. */
export function unicodeName(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One argument as a POSIX shell reads it back unchanged. */
export function shellQuote(argument: string): string {
  return /^[A-Za-z0-9_./=,:+@%-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

export function importArgs(layouts: EntryLayout[], files: ManifestFile[], delimiter: string): string[] {
  const args: string[] = [];
  for (const layout of layouts) {
    const own = files.filter((f) => f.entry === layout.entry && f.kind === layout.kind);
    // the header file first, then the parts in the order they were written
    const paths = [...own.filter((f) => f.header), ...own.filter((f) => !f.header)].map((f) => f.path);
    args.push(`--${layout.kind}=${paths.join(',')}`);
  }
  args.push(`--array-delimiter=${unicodeName(delimiter)}`, '--id-type=string');
  if (files.some((f) => f.notes?.includes(MULTILINE))) args.push('--multiline-fields=true');
  return args;
}

export function constraintsCypher(plan: ValidPlan): string {
  const schema = planSchema(plan);
  const statements = [...schema.keys.flatMap((spec) => NEO4J_DIALECT.keySchema(spec)), ...schema.matches.flatMap((spec) => NEO4J_DIALECT.matchSchema(spec))];
  return statements.map((statement) => `${statement};\n`).join('');
}

function cypherString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Per entry: set the lists its rows marked empty, move the texts into their properties, and drop the helper columns. */
export function afterImportCypher(layouts: FinishLayout[]): string {
  const marker = quoteName(EMPTY_LISTS);
  return layouts
    .flatMap((layout) => {
      const v = layout.kind === 'nodes' ? 'n' : 'r';
      const match = layout.kind === 'nodes' ? `MATCH (n${labelText([layout.name])})` : `MATCH ()-[r${labelText([layout.name])}]->()`;
      const statements: string[] = [];
      if (layout.marker) {
        const sets = layout.columns
          .filter((c) => c.type.list)
          .map((c) => `${v}.${quoteName(c.name)} = CASE WHEN ${cypherString(c.name)} IN ${v}.${marker} THEN [] ELSE ${v}.${quoteName(c.name)} END`);
        statements.push(`${match} WHERE ${v}.${marker} IS NOT NULL SET ${sets.join(', ')} REMOVE ${v}.${marker}`);
      }
      for (const column of layout.columns) {
        if (!column.text) continue;
        const text = `${v}.${quoteName(column.text)}`;
        statements.push(`${match} WHERE ${text} IS NOT NULL SET ${v}.${quoteName(column.name)} = ${text} REMOVE ${text}`);
      }
      return statements.map((statement) => `${statement};\n`);
    })
    .join('');
}

function importMarkdown(plan: ValidPlan, layouts: EntryLayout[], files: ManifestFile[], args: string[], delimiter: string): string {
  const command = ['neo4j-admin', 'database', 'import', 'full', 'neo4j', ...args].map(shellQuote).join(' ');
  const rows = layouts.map((layout) => {
    const parts = files.filter((f) => f.entry === layout.entry && !f.header);
    return `| ${layout.entry} | ${layout.kind} | ${parts.length} | ${parts.reduce((sum, f) => sum + f.rows, 0)} |`;
  });
  return [
    '# Loading this export (format neo4j-admin)',
    '',
    `Plan entries: ${plan.nodes.length} node entries, ${plan.relationships.length} relationship entries.`,
    '',
    '1. Stop the Neo4j server (or use a database that does not exist yet), then run, in this directory:',
    '',
    '   ```sh',
    `   NEO4J_HOME=/path/to/neo4j ${command}`,
    '   ```',
    '',
    '   `neo4j` is the database name (Community has one user database, `neo4j`); the store goes to',
    '   `$NEO4J_HOME/data/databases/neo4j`. Add `--overwrite-destination` to replace an existing database: a failed',
    '   import leaves an unusable store. The same arguments are `importArgs` in `manifest.json`.',
    '2. Start Neo4j on that home, then create the key constraints the online writer would have created first',
    "   (Community's import cannot create schema):",
    '',
    '   ```sh',
    '   cypher-shell -d neo4j -f constraints.cypher',
    '   ```',
    '',
    ...(files.some((f) => f.notes?.includes(AFTER_IMPORT))
      ? [
          '   Then give empty lists and the texts of typed columns their values (the tool reads an empty field as no',
          `   property, and a typed column holds one type: rows name them in \`${EMPTY_LISTS}\` and \`${TEXT_PREFIX}<name>\`,`,
          '   which this removes): `cypher-shell -d neo4j -f after-import.cypher`',
          '',
        ]
      : []),
    '3. `pg2graph verify --plan plan.json` compares the graph with the source, value for value.',
    '',
    'Each node entry is one ID space named after its files; its ID column holds the key (a composite key as a JSON array',
    "of the parts' texts) and stores no property, the key parts are typed properties. Lists use the array delimiter",
    `${unicodeName(delimiter)}; an empty field is no property (SQL NULL), \`""\` the empty string.`,
    '',
    '| entry | kind | parts | rows |',
    '|---|---|--:|--:|',
    ...rows,
    '',
  ].join('\n');
}

export function adminFinish(plan: ValidPlan, layouts: FinishLayout[], files: ManifestFile[], delimiter: string): FinishedSet {
  const args = importArgs(layouts, files, delimiter);
  return {
    files: [
      { path: 'IMPORT.md', text: importMarkdown(plan, layouts, files, args, delimiter) },
      { path: 'constraints.cypher', text: constraintsCypher(plan) },
      ...(files.some((f) => f.notes?.includes(AFTER_IMPORT)) ? [{ path: 'after-import.cypher', text: afterImportCypher(layouts) }] : []),
    ],
    importArgs: args,
  };
}
