/**
 * Hand-made export sets for the format tests: lays out a plan with a format, encodes the given batches as parts
 * and writes them with a manifest and the format's finished files, as the file sink does (without its resume
 * bookkeeping), so the validators can be run on encoder output alone.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import { encodedPart, type FileFormat, type FormatOptions, type ManifestFile } from '../../dist/engine/write/files/format';
import type { NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';
import type { ValidPlan } from '../../dist/engine/plan/valid';
import { partPath } from '../../dist/engine/write/files/entry-files';

export function temporaryDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pg2graph-${prefix}-`));
}

export function writeHandMadeExport(
  dir: string,
  format: FileFormat,
  plan: ValidPlan,
  batches: Array<NodeBatch | RelationshipBatch>,
  options: FormatOptions = { gzip: false },
): ManifestFile[] {
  const layouts = format.layout(plan, options);
  const files: ManifestFile[] = [];
  batches.forEach((batch, i) => {
    const layout = layouts.find((l) => l.entry === batch.batch.entry)!;
    const { text, notes } = encodedPart(
      batch.kind === 'nodes'
        ? format.encodeNodes(
            batch,
            plan.nodes.find((n) => n.id === layout.entry)!,
            layout,
            options,
          )
        : format.encodeRelationships(
            batch,
            plan.relationships.find((r) => r.id === layout.entry)!,
            layout,
            options,
          ),
    );
    const relative = partPath(layout, i + 1, options.gzip);
    fs.mkdirSync(path.join(dir, layout.kind), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), options.gzip ? zlib.gzipSync(text) : text);
    files.push({
      path: relative,
      entry: layout.entry,
      kind: layout.kind,
      rows: batch.rows.length,
      ...(layout.collection ? { collection: layout.collection } : {}),
      ...(notes ? { notes } : {}),
    });
  });
  const finished = format.finish(plan, layouts, files, options);
  for (const file of finished.files) fs.writeFileSync(path.join(dir, file.path), file.text);
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ format: format.name, formatVersion: format.formatVersion, complete: true, files }, null, 2),
  );
  return files;
}
