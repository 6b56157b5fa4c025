/**
 * IMPORT.md of an ArangoDB export: one `arangoimport` per part, the document collections first (docs/export-id-formats.md).
 * Edges import with `--on-duplicate replace`: the rows of one pair share their edge key and make one edge, the
 * last row's values winning, as the online writer's MERGE and SET do.
 */
import type { EntryLayout, FormatOptions, ManifestFile } from '../format';

function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function command(file: ManifestFile, collection: string): string {
  const args = ['arangoimport', '--server.endpoint', 'tcp://127.0.0.1:8529', '--server.database', '<database>', '--type', 'jsonl'];
  args.push('--collection', collection, '--create-collection', 'true');
  if (file.kind === 'relationships') args.push('--create-collection-type', 'edge', '--on-duplicate', 'replace');
  args.push('--file', file.path);
  return args.map(shellWord).join(' ');
}

export function arangoImportText(layouts: readonly EntryLayout[], files: readonly ManifestFile[], options: FormatOptions): string {
  const collectionOf = new Map(layouts.map((l) => [l.entry, l.collection ?? l.base]));
  const parts = (kind: 'nodes' | 'relationships') => files.filter((f) => f.kind === kind && !f.header);
  const lines = (kind: 'nodes' | 'relationships') => parts(kind).map((f) => command(f, f.collection ?? collectionOf.get(f.entry)!));
  const collections = (kind: 'nodes' | 'relationships') => [...new Set(layouts.filter((l) => l.kind === kind).map((l) => l.collection))].join(', ') || '(none)';
  return [
    '# Loading this export into ArangoDB (arangoimport)',
    '',
    `Format \`arangodb\`: document collections ${collections('nodes')}; edge collections ${collections('relationships')}.`,
    'Keys, value encodings and what ArangoDB cannot hold: see pg2graph docs/export-id-formats.md. These files were checked',
    "by pg2graph's own validator, not imported into an ArangoDB.",
    ...(options.gzip ? ['', 'The parts are gzipped: arangoimport 3.5 and later reads a `.gz` file as it is; with an older one, `gunzip` them first.'] : []),
    '',
    'Run from the export directory (add `--server.username` / `--server.password` as your server needs), documents first.',
    'Documents import into empty collections (a key already there is an error, as a second node with one key would be);',
    'edges use `--on-duplicate replace`: the rows of one pair share their edge key and make one edge, the last row winning.',
    '',
    '',
    '```sh',
    ...lines('nodes'),
    ...lines('relationships'),
    '```',
    '',
  ].join('\n');
}
