/**
 * The file sink: a GraphTarget that writes record batches as part files of an export directory in one format
 * (see README, Offline exports). Each batch becomes one part, written beside its final name, flushed and
 * renamed into place; then the manifest (with the entry's checkpoint) is replaced, and only then is the batch
 * acknowledged. A stopped export therefore continues after its last complete part: a part the manifest does
 * not count (half written, or beyond a gap of a reading that died) is removed before the next run writes.
 * Once the reader says the run is complete, the format's load files are written and the manifest says
 * `complete: true`.
 */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { promisify } from 'util';
import { Pg2GraphError } from '../../core/errors';
import type { BatchInfo, NodeBatch, RecordBatch, RelationshipBatch } from '../../core/records';
import type { NodeEntry, RelationshipEntry } from '../../plan/types';
import type { ValidPlan } from '../../plan/valid';
import { assertValidPlan } from '../../plan/validate';
import { planFingerprint } from '../../plan/fingerprint';
import { advanceCheckpoint, EMPTY_CHECKPOINT, toEntryCheckpoint, type CheckpointStore, type EntryCheckpoint } from '../../run';
import { checkNodeBatch, checkRelationshipBatch } from '../row-check';
import { describeBatch } from '../describe';
import type { BatchWriteResult, GraphTarget, WriteMode } from '../target';
import { encodedPart, type EncodedPart, type EntryLayout, type ExportFormatName, type FileFormat, type FormatOptions, type ManifestFile } from './format';
import { partPath } from './entry-files';
import {
  MANIFEST_NAME,
  newManifest,
  readManifest,
  writeAtomically,
  writeFailed,
  writeFlushed,
  writeManifest,
  type EntryProgress,
  type Manifest,
} from './manifest';
import { formatNamed } from './formats';

const gzip = promisify(zlib.gzip);

export interface FileSinkOptions {
  /** The export directory (created when missing). */
  dir: string;
  format: ExportFormatName;
  /** Parts gzipped (default false). */
  gzip?: boolean;
  /** Replace an earlier export in the directory (default false: a directory holding anything else is refused). */
  overwrite?: boolean;
  /** neo4j-admin: the array delimiter. */
  arrayDelimiter?: string;
}

/** The directory's state once opened for a plan: the manifest to continue, or a new one. */
interface Opened {
  planKey: string;
  manifest: Manifest;
}

function entryProgress(manifest: Manifest, entry: string): EntryProgress {
  return (manifest.progress.entries[entry] ??= { checkpoint: EMPTY_CHECKPOINT, parts: [] });
}

function sameKey(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function rowsOf(records: RecordBatch): number {
  return records.rows.length;
}

function valuesOf(records: RecordBatch): number {
  let count = 0;
  for (const row of records.rows) for (const value of row) if (value !== null && value !== undefined) count += 1;
  return count;
}

export class FileSink implements GraphTarget {
  readonly dir: string;
  private readonly format: FileFormat;
  private readonly formatOptions: FormatOptions;
  private opening?: Promise<Opened>;
  private plan?: ValidPlan;
  private layouts = new Map<string, EntryLayout>();
  /** Manifest updates one after another: each replaces the file whole. */
  private commits: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private closed = false;

  readonly checkpoints: CheckpointStore = {
    read: async (planKey) => {
      const { manifest } = await this.open(planKey);
      const result = new Map<string, EntryCheckpoint>();
      for (const [entry, progress] of Object.entries(manifest.progress.entries)) result.set(entry, toEntryCheckpoint(entry, progress.checkpoint));
      return result;
    },
    clear: async (planKey, entries) => {
      const { manifest } = await this.open(planKey);
      await this.commit(async () => {
        for (const entry of entries ?? Object.keys(manifest.progress.entries)) await this.dropParts(manifest, entry, () => true);
        await this.saveManifest(manifest);
      });
    },
  };

  constructor(private readonly options: FileSinkOptions) {
    if (typeof options.dir !== 'string' || !options.dir.trim())
      throw new Pg2GraphError('EXPORT_SETTING_INVALID', 'the export directory (out) is required', { setting: 'out' });
    this.dir = path.resolve(options.dir);
    this.format = formatNamed(options.format);
    if (options.arrayDelimiter !== undefined && [...options.arrayDelimiter].length !== 1)
      throw new Pg2GraphError('EXPORT_SETTING_INVALID', `the array delimiter must be one character, got ${JSON.stringify(options.arrayDelimiter)}`, {
        setting: 'arrayDelimiter',
      });
    this.formatOptions = { gzip: options.gzip === true, ...(options.arrayDelimiter !== undefined ? { arrayDelimiter: options.arrayDelimiter } : {}) };
  }

  get pending(): number {
    return this.inFlight;
  }

  /** The manifest as it stands (after prepare or checkpoints.read). */
  async manifest(): Promise<Manifest | undefined> {
    return this.opening ? (await this.opening).manifest : undefined;
  }

  /**
   * Before anything is read: the format can express the plan (else EXPORT_PLAN_UNSUPPORTED naming the entry) and
   * the directory may take this export (else EXPORT_DIR_NOT_EMPTY). prepare() does it too.
   */
  async check(planInput: ValidPlan): Promise<Manifest> {
    const plan = assertValidPlan(planInput);
    const layouts = new Map(this.format.layout(plan, this.formatOptions).map((layout) => [layout.entry, layout]));
    const { manifest } = await this.open(planFingerprint(plan));
    this.plan = plan;
    this.layouts = layouts;
    return manifest;
  }

  async prepare(planInput: ValidPlan): Promise<{ statements: string[] }> {
    const manifest = await this.check(planInput);
    await this.commit(async () => {
      await this.removeStrayFiles(manifest);
      for (const layout of this.layouts.values()) {
        for (const header of layout.headers) {
          await this.writeFile(header.path, header.text);
          if (!manifest.files.some((f) => f.path === header.path))
            manifest.files.push({ path: header.path, entry: layout.entry, kind: layout.kind, rows: 0, header: true, ...this.collectionOf(layout) });
        }
      }
      await this.saveManifest(manifest);
    });
    return { statements: [] };
  }

  writeNodes(batch: NodeBatch, mode: WriteMode): Promise<BatchWriteResult> {
    return this.write(batch, mode, () => {
      checkNodeBatch(batch);
      const entry = this.entryOf<NodeEntry>(batch.batch, 'nodes');
      return this.format.encodeNodes(batch, entry, this.layoutOf(batch.batch), this.formatOptions);
    });
  }

  writeRelationships(batch: RelationshipBatch, mode: WriteMode): Promise<BatchWriteResult> {
    return this.write(batch, mode, () => {
      checkRelationshipBatch(batch);
      const entry = this.entryOf<RelationshipEntry>(batch.batch, 'relationships');
      return this.format.encodeRelationships(batch, entry, this.layoutOf(batch.batch), this.formatOptions);
    });
  }

  async finishRun(planKey: string, entries?: readonly string[]): Promise<void> {
    const { manifest } = await this.open(planKey);
    const plan = this.plan;
    if (!plan) throw new Pg2GraphError('WRITE_INPUT_INVALID', 'the export was told a run ended before it was prepared for its plan');
    const all = [...plan.nodes, ...plan.relationships].map((e) => e.id);
    await this.commit(async () => {
      // the reader ends each phase on its own (node entries, then relationship entries): the set is complete once both did
      const finished = new Set([...(manifest.progress.finished ?? []), ...(entries ?? all)]);
      manifest.progress.finished = all.filter((id) => finished.has(id));
      if (manifest.progress.finished.length < all.length) return this.saveManifest(manifest);
      const layouts = all.map((id) => this.layouts.get(id)!);
      const set = this.format.finish(plan, layouts, manifest.files, this.formatOptions);
      for (const file of set.files) await this.writeFile(file.path, file.text);
      manifest.importArgs = set.importArgs;
      manifest.complete = true;
      await this.saveManifest(manifest);
    });
  }

  async close(maxWaitMs = 5000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.commits.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
    clearTimeout(timer);
  }

  /** Opens the directory for a plan once: a new export, the unfinished one of this plan and format, or a refusal. */
  private open(planKey: string): Promise<Opened> {
    this.opening ??= this.openDirectory(planKey);
    return this.opening.then((opened) => {
      if (opened.planKey !== planKey)
        throw new Pg2GraphError('EXPORT_SETTING_INVALID', `this export of ${this.dir} is for plan ${opened.planKey}, not ${planKey}`, { dir: this.dir });
      return opened;
    });
  }

  private async openDirectory(planKey: string): Promise<Opened> {
    const fresh = (): Opened => ({ planKey, manifest: newManifest(this.format.name, this.format.formatVersion, planKey, this.formatOptions.gzip) });
    let names: string[];
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      names = await fs.promises.readdir(this.dir);
    } catch (error) {
      throw writeFailed(this.dir, error);
    }
    if (!names.length) return fresh();
    const existing = readManifest(this.dir);
    if (!existing) {
      throw new Pg2GraphError(
        'EXPORT_DIR_NOT_EMPTY',
        `the export directory ${this.dir} is not empty and holds no pg2graph export (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}): choose an empty or new directory`,
        { dir: this.dir },
      );
    }
    if (this.options.overwrite) {
      for (const name of names) await fs.promises.rm(path.join(this.dir, name), { recursive: true, force: true });
      return fresh();
    }
    const reason = existing.complete
      ? 'a complete export'
      : existing.planFingerprint !== planKey
        ? `an unfinished export of another plan (${existing.planFingerprint})`
        : existing.format !== this.format.name || existing.gzip !== this.formatOptions.gzip
          ? `an unfinished export in format ${existing.format}${existing.gzip ? ' (gzip)' : ''}`
          : undefined;
    if (reason) {
      throw new Pg2GraphError(
        'EXPORT_DIR_NOT_EMPTY',
        `the export directory ${this.dir} holds ${reason}: choose another directory, or overwrite it (--overwrite)`,
        { dir: this.dir },
      );
    }
    return { planKey, manifest: existing };
  }

  private async write(records: RecordBatch, mode: WriteMode, encode: () => string | EncodedPart): Promise<BatchWriteResult> {
    if (this.closed) throw new Pg2GraphError('WRITE_ABORTED', `${describeBatch(records.batch)}: the export was closed before the batch was written`);
    const info = records.batch;
    const planKey = info.plan;
    if (!planKey) throw new Pg2GraphError('WRITE_INPUT_INVALID', `${describeBatch(info)}: an exported batch needs batch.plan (the plan fingerprint)`);
    const { manifest } = await this.open(planKey);
    this.inFlight += 1;
    try {
      const layout = this.layoutOf(info);
      const encoded = encode();
      const { text, notes } = encodedPart(encoded);
      const number = manifest.progress.nextPart++;
      const relative = partPath(layout, number, this.formatOptions.gzip);
      const data = this.formatOptions.gzip ? await gzip(text, { level: 1 }) : text;
      const file = path.join(this.dir, relative);
      const temporary = `${file}.partial`;
      await writeFlushed(temporary, data, file);
      const checkpoint = await this.commit(() => this.claim(manifest, records, layout, relative, temporary, notes));
      const rows = rowsOf(records);
      return {
        nodesCreated: records.kind === 'nodes' ? rows : 0,
        nodesMatched: 0,
        relationshipsCreated: records.kind === 'relationships' ? rows : 0,
        propertiesWritten: valuesOf(records),
        missingEnds: 0,
        retries: 0,
        mode,
        checkpoint,
      };
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Renames the part into place and advances the entry's checkpoint in the manifest; refuses a batch no checkpoint vouches for. */
  private async claim(
    manifest: Manifest,
    records: RecordBatch,
    layout: EntryLayout,
    relative: string,
    temporary: string,
    notes?: string[],
  ): Promise<EntryCheckpoint> {
    const info = records.batch;
    const progress = entryProgress(manifest, info.entry);
    const before = progress.checkpoint;
    const after = advanceCheckpoint(before, info);
    const replay = after !== before && after.owner === before.owner && progress.parts.some((p) => p.run === info.run && p.index === info.index);
    if (after === before || replay) {
      await fs.promises.rm(temporary, { force: true });
      throw new Pg2GraphError(
        'EXPORT_BATCH_UNCLAIMED',
        `${describeBatch(info)} of reading ${info.run}: the export's checkpoint of the entry belongs to reading ${before.owner ?? '(none)'}${replay ? ', which wrote this batch already' : ''}; adding it could duplicate rows`,
        { entry: info.entry, batch: info.index },
      );
    }
    if (after.owner !== before.owner) await this.takeOver(manifest, info);
    try {
      await fs.promises.rename(temporary, path.join(this.dir, relative));
    } catch (error) {
      throw writeFailed(path.join(this.dir, relative), error);
    }
    progress.parts.push({
      path: relative,
      rows: rowsOf(records),
      run: info.run,
      index: info.index,
      ...(info.lastKey ? { lastKey: info.lastKey } : {}),
      claimed: false,
      ...(notes?.length ? { notes } : {}),
    });
    progress.checkpoint = after;
    for (const part of progress.parts) {
      if (!part.claimed && part.run === after.owner && part.index < after.batches) {
        part.claimed = true;
        manifest.files.push({
          path: part.path,
          entry: info.entry,
          kind: layout.kind,
          rows: part.rows,
          ...this.collectionOf(layout),
          ...(part.notes ? { notes: part.notes } : {}),
        });
      }
    }
    if (!manifest.snapshot.runs.includes(info.run)) manifest.snapshot.runs.push(info.run);
    if (info.mark) manifest.snapshot.xmin = info.mark.xmin;
    await this.saveManifest(manifest);
    return toEntryCheckpoint(info.entry, after);
  }

  /**
   * A new reading takes the entry over: the parts of the earlier readings up to the key it continues after stay,
   * every other part of the entry goes (a reading from the start writes them all again).
   */
  private async takeOver(manifest: Manifest, info: BatchInfo): Promise<void> {
    const progress = entryProgress(manifest, info.entry);
    const after = info.origin?.after;
    if (after) {
      const claimed = progress.parts.filter((p) => p.claimed);
      const keep = claimed.findIndex((p) => sameKey(p.lastKey, after)) + 1;
      if (keep === 0 && claimed.length) {
        throw new Pg2GraphError(
          'EXPORT_BATCH_UNCLAIMED',
          `${describeBatch(info)}: the reading continues after key ${JSON.stringify(after)}, which ends no part of the export; export the entry again from its start (overwrite)`,
          { entry: info.entry, batch: info.index },
        );
      }
      const kept = new Set(claimed.slice(0, keep));
      await this.dropParts(manifest, info.entry, (part) => !kept.has(part));
    } else {
      await this.dropParts(manifest, info.entry, () => true);
    }
  }

  /** Removes parts of an entry (files and manifest lines) and resets its checkpoint when all go. */
  private async dropParts(manifest: Manifest, entry: string, drop: (part: EntryProgress['parts'][number]) => boolean): Promise<void> {
    const progress = entryProgress(manifest, entry);
    const gone = progress.parts.filter(drop);
    for (const part of gone) await fs.promises.rm(path.join(this.dir, part.path), { force: true });
    const paths = new Set(gone.map((p) => p.path));
    progress.parts = progress.parts.filter((p) => !paths.has(p.path));
    manifest.files = manifest.files.filter((f) => !paths.has(f.path));
    if (!progress.parts.length) progress.checkpoint = EMPTY_CHECKPOINT;
  }

  /** Before a run writes: half-written files and parts the checkpoints do not count (a dead reading's) go. */
  private async removeStrayFiles(manifest: Manifest): Promise<void> {
    for (const entry of Object.keys(manifest.progress.entries)) await this.dropParts(manifest, entry, (part) => !part.claimed);
    for (const progress of Object.values(manifest.progress.entries)) progress.checkpoint = { ...progress.checkpoint, pending: [] };
    const listed = new Set([MANIFEST_NAME, ...manifest.files.map((f) => f.path)]);
    for (const sub of ['', 'nodes', 'relationships']) {
      let names: string[];
      try {
        names = await fs.promises.readdir(path.join(this.dir, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        const relative = sub ? `${sub}/${name}` : name;
        if (name.endsWith('.partial') || (sub && !listed.has(relative))) await fs.promises.rm(path.join(this.dir, relative), { force: true });
      }
    }
  }

  private writeFile(relative: string, text: string): Promise<void> {
    return writeAtomically(path.join(this.dir, relative), text);
  }

  private saveManifest(manifest: Manifest): Promise<void> {
    return writeManifest(this.dir, manifest);
  }

  /** Runs one manifest update after the ones before it. */
  private commit<T>(task: () => Promise<T>): Promise<T> {
    const next = this.commits.then(task, task);
    this.commits = next.catch(() => undefined);
    return next;
  }

  private collectionOf(layout: EntryLayout): Pick<ManifestFile, 'collection'> {
    return layout.collection ? { collection: layout.collection } : {};
  }

  private layoutOf(info: BatchInfo): EntryLayout {
    const layout = this.layouts.get(info.entry);
    if (!layout) {
      throw new Pg2GraphError('WRITE_INPUT_INVALID', `${describeBatch(info)}: the entry is not in the plan the export was prepared for`, {
        entry: info.entry,
      });
    }
    return layout;
  }

  private entryOf<T extends NodeEntry | RelationshipEntry>(info: BatchInfo, kind: 'nodes' | 'relationships'): T {
    const list: Array<NodeEntry | RelationshipEntry> = kind === 'nodes' ? (this.plan?.nodes ?? []) : (this.plan?.relationships ?? []);
    const entry = list.find((e) => e.id === info.entry);
    if (!entry) {
      throw new Pg2GraphError(
        'WRITE_INPUT_INVALID',
        `${describeBatch(info)}: no ${kind === 'nodes' ? 'node' : 'relationship'} entry of that id in the exported plan`,
        {
          entry: info.entry,
        },
      );
    }
    return entry as T;
  }
}
