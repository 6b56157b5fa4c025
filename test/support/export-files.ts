/** Reading an export directory back in tests: the manifest, each part's text (gunzipped), jsonl records per entry. */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import type { Manifest } from '../../dist/engine/write/files/manifest';

export function readExportManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** A file of the set as text (gzip parts decompressed; a truncated gzip part throws). */
export function partText(dir: string, relative: string): string {
  const data = fs.readFileSync(path.join(dir, relative));
  return relative.endsWith('.gz') ? zlib.gunzipSync(data).toString('utf8') : data.toString('utf8');
}

/** Every file under the directory, relative, `/` separated. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    for (const item of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = sub ? `${sub}/${item.name}` : item.name;
      if (item.isDirectory()) walk(relative);
      else found.push(relative);
    }
  };
  walk('');
  return found.sort();
}

export interface JsonlNode {
  labels: string[];
  key: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/** The jsonl records of the parts the manifest lists, per entry (in part order). */
export function jsonlRecords(dir: string): Map<string, unknown[]> {
  const manifest = readExportManifest(dir);
  const records = new Map<string, unknown[]>();
  for (const file of manifest.files) {
    if (file.header) continue;
    const lines = partText(dir, file.path).split('\n').filter(Boolean);
    if (lines.length !== file.rows) throw new Error(`${file.path}: the manifest says ${file.rows} rows, the part holds ${lines.length}`);
    const list = records.get(file.entry) ?? [];
    list.push(...lines.map((line) => JSON.parse(line) as unknown));
    records.set(file.entry, list);
  }
  return records;
}

/** jsonl records per label / type, and duplicates (the same record twice in an entry's parts). */
export function jsonlTally(dir: string): { nodes: Record<string, number>; relationships: Record<string, number>; duplicates: number } {
  const nodes: Record<string, number> = {};
  const relationships: Record<string, number> = {};
  const seen = new Set<string>();
  let duplicates = 0;
  for (const [entry, list] of jsonlRecords(dir)) {
    for (const record of list as Array<{ labels?: string[]; type?: string }>) {
      const identity = `${entry} ${JSON.stringify(record)}`;
      if (seen.has(identity)) duplicates += 1;
      seen.add(identity);
      if (record.labels) nodes[record.labels[0]] = (nodes[record.labels[0]] ?? 0) + 1;
      else relationships[record.type!] = (relationships[record.type!] ?? 0) + 1;
    }
  }
  return { nodes, relationships, duplicates };
}
