/**
 * manifest.json of an export directory (see README, Offline exports): the public contract scripts read
 * (format, formatVersion, planFingerprint, snapshot, complete, files, importArgs) and, under `progress`, the
 * sink's own bookkeeping: each entry's checkpoint and every part with the batch that wrote it. It is replaced
 * atomically (written beside, then renamed), after each part is in place, so it never lists a part that is not
 * complete and a crash leaves the previous manifest.
 */
import fs from 'fs';
import path from 'path';
import { Pg2GraphError } from '../../core/errors';
import type { RowKey } from '../../core/records';
import type { CheckpointState } from '../../run';
import type { ExportFormatName, ManifestFile } from './format';

export const MANIFEST_NAME = 'manifest.json';

/** A part as the sink keeps it: the batch that wrote it, and whether the entry's checkpoint counts it. */
export interface PartRecord {
  path: string;
  rows: number;
  /** The reading (run id) and its batch index. */
  run: string;
  index: number;
  lastKey?: RowKey;
  /** Counted by the checkpoint (in order from the reading's start); a part beyond a gap is not, yet. */
  claimed: boolean;
  /** EncodedPart.notes, carried into the manifest's file list. */
  notes?: string[];
}

export interface EntryProgress {
  checkpoint: CheckpointState;
  parts: PartRecord[];
}

export interface Manifest {
  format: ExportFormatName;
  formatVersion: number;
  planFingerprint: string;
  /** The Postgres snapshot(s) the rows were read in: the xmin of the last reading, and every reading's run id. */
  snapshot: { xmin: string | null; runs: string[] };
  complete: boolean;
  gzip: boolean;
  files: ManifestFile[];
  importArgs?: string[];
  progress: {
    nextPart: number;
    entries: Record<string, EntryProgress>;
    /** Entries whose reading the reader called complete (runEnd of their phase). */
    finished?: string[];
  };
}

export function newManifest(format: ExportFormatName, formatVersion: number, planFingerprint: string, gzip: boolean): Manifest {
  return {
    format,
    formatVersion,
    planFingerprint,
    snapshot: { xmin: null, runs: [] },
    complete: false,
    gzip,
    files: [],
    progress: { nextPart: 1, entries: {} },
  };
}

/** The manifest of a directory, undefined when it has none; a manifest that is not one of ours is an error naming the file. */
export function readManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, MANIFEST_NAME);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw writeFailed(file, error);
  }
  let parsed: Partial<Manifest>;
  try {
    parsed = JSON.parse(text) as Partial<Manifest>;
  } catch {
    parsed = {};
  }
  if (typeof parsed.format !== 'string' || typeof parsed.planFingerprint !== 'string' || !parsed.progress || !Array.isArray(parsed.files)) {
    throw new Pg2GraphError('EXPORT_DIR_NOT_EMPTY', `${file} is not the manifest of a pg2graph export: choose another directory`, { dir });
  }
  return parsed as Manifest;
}

/** Writes and flushes a file (its directory created); on failure the file is removed and the error names `named`. */
export async function writeFlushed(file: string, data: string | Uint8Array, named = file): Promise<void> {
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.promises.open(file, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.promises.rm(file, { force: true }).catch(() => undefined);
    throw writeFailed(named, error);
  }
}

/** Writes a file whole or not at all: beside it first, flushed, then renamed over it. */
export async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.partial`;
  await writeFlushed(temporary, data, file);
  try {
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
    throw writeFailed(file, error);
  }
}

export function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  return writeAtomically(path.join(dir, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A file system error as EXPORT_WRITE_FAILED naming the file (a full disk said in words). */
export function writeFailed(file: string, error: unknown): Pg2GraphError {
  if (error instanceof Pg2GraphError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String((error as Error)?.message ?? error);
  return new Pg2GraphError(
    'EXPORT_WRITE_FAILED',
    `writing ${file} failed: ${reason}${code ? ` (${code})` : ''}; nothing of it counts as written, and running the same export again resumes`,
    { file, cause: code },
    error,
  );
}
