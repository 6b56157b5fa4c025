/** IMPORT.md of a `load-csv` set: where to put the directory and how to run load.cypher (see README, Offline exports: load-csv). */
import type { ValidPlan } from '../../../plan/valid';
import type { EntryLayout, ManifestFile } from '../format';

export function loadCsvGuide(plan: ValidPlan, layouts: EntryLayout[], files: ManifestFile[], gzip: boolean): string {
  const parts = files.filter((f) => !f.header);
  const lines = [
    '# Loading this export (format load-csv)',
    '',
    `Plan entries: ${plan.nodes.length} node entries, ${plan.relationships.length} relationship entries; ${parts.length} parts${gzip ? ' (gzipped: LOAD CSV reads .csv.gz itself)' : ''}.`,
    '',
    "`load.cypher` reads every part through `file:///` URLs relative to the server's import directory",
    '(`server.directories.import`, e.g. `<neo4j home>/import`). Either set the import directory to this export',
    'directory, or copy this directory under it as `<name>` and prefix every URL:',
    '',
    '```sh',
    "sed -i 's#file:///#file:///<name>/#' load.cypher",
    '```',
    '',
    'Then run the script on an empty database (or on one loaded by an earlier run of it: MERGE makes a second run',
    'change nothing):',
    '',
    '```sh',
    'cypher-shell -a neo4j://localhost:7687 -u neo4j -d neo4j -f load.cypher',
    '```',
    '',
    'Or run each statement (they end with `;` and a blank line) on its own in an auto-commit transaction (a',
    "driver's `session.run`, not a transaction function): `CALL { ... } IN TRANSACTIONS` needs an implicit",
    'transaction. The script creates the key constraints and match indexes first, then loads every node part,',
    'then every relationship part. The server needs `dbms.security.allow_csv_import_from_file_urls=true` (the default).',
    '',
    '| entry | kind | parts | rows |',
    '|---|---|--:|--:|',
    ...layouts.map((layout) => {
      const own = parts.filter((f) => f.entry === layout.entry);
      return `| ${layout.entry} | ${layout.kind} | ${own.length} | ${own.reduce((sum, f) => sum + f.rows, 0)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
