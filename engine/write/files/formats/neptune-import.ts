/**
 * IMPORT.md of a Neptune export: copy the parts to S3 and start two loader jobs, nodes first (docs/export-id-formats.md).
 * The loader reads every file under its source prefix, so the sources are the `nodes/` and `relationships/`
 * prefixes, never the export's root (which holds manifest.json and this file).
 */
import type { FormatOptions, ManifestFile } from '../format';
import type { NeptuneDialect } from './neptune-columns';

function loaderCall(dialect: NeptuneDialect, dir: 'nodes' | 'relationships'): string {
  const body = {
    source: `s3://<bucket>/<prefix>/${dir}/`,
    format: dialect.loaderFormat,
    iamRoleArn: 'arn:aws:iam::<account>:role/<NeptuneLoadFromS3 role>',
    region: '<region>',
    failOnError: 'TRUE',
    parallelism: 'MEDIUM',
    updateSingleCardinalityProperties: 'TRUE',
    ...(dialect.loaderFormat === 'opencypher' ? { userProvidedEdgeIds: 'TRUE' } : {}),
    parserConfiguration: { allowEmptyStrings: true },
  };
  return `curl -X POST -H 'Content-Type: application/json' https://<endpoint>:8182/loader -d '${JSON.stringify(body, null, 2)}'`;
}

export function neptuneImportText(dialect: NeptuneDialect, files: readonly ManifestFile[], options: FormatOptions): string {
  const count = (kind: string) => files.filter((f) => f.kind === kind && !f.header);
  const rows = (kind: string) => count(kind).reduce((sum, f) => sum + f.rows, 0);
  return [
    `# Loading this export into Amazon Neptune (${dialect.loaderFormat === 'opencypher' ? 'openCypher' : 'Gremlin'} bulk load)`,
    '',
    `Format \`${dialect.name}\`: ${count('nodes').length} node files (${rows('nodes')} nodes) and ${count('relationships').length} relationship files (${rows('relationships')} relationships)${options.gzip ? ', gzipped (the loader reads `.gz` files)' : ''}.`,
    'Value encodings, ids and what Neptune cannot hold: see pg2graph docs/export-id-formats.md. These files were checked by',
    "pg2graph's own validator, not loaded into a Neptune.",
    '',
    '1. Copy the parts to S3 (the bucket in the same region as the cluster):',
    '',
    '```sh',
    'aws s3 cp --recursive nodes s3://<bucket>/<prefix>/nodes/',
    'aws s3 cp --recursive relationships s3://<bucket>/<prefix>/relationships/',
    '```',
    '',
    '2. Load the nodes, and once that job reports `LOAD_COMPLETED`, the relationships:',
    '',
    '```sh',
    loaderCall(dialect, 'nodes'),
    'curl -G https://<endpoint>:8182/loader/<loadId>   # until "status": "LOAD_COMPLETED"',
    loaderCall(dialect, 'relationships'),
    '```',
    '',
    '`allowEmptyStrings` keeps an empty string (`""` in the files) as a value; an empty unquoted field is no value.',
    '`updateSingleCardinalityProperties` lets a second load of the same files (or the rows of a duplicated pair, which',
    'share their relationship id) replace values instead of failing.',
    '',
  ].join('\n');
}
