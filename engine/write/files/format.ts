/**
 * An export format: how the file sink (write/files/sink.ts) lays out a plan's entries as files and encodes each
 * record batch as the text of one part (see README, Offline exports). A format is pure: it never touches the
 * disk. The sink writes what it returns (parts as `<name>.partial`, renamed into place once complete), keeps the
 * manifest and the checkpoints, and calls `finish` once every entry is complete.
 */
import type { NodeBatch, RelationshipBatch } from '../../core/records';
import type { NodeEntry, RelationshipEntry } from '../../plan/types';
import type { ValidPlan } from '../../plan/valid';

export const EXPORT_FORMATS = ['neo4j-admin', 'load-csv', 'neptune-opencypher', 'neptune-gremlin', 'arangodb', 'jsonl'] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormatName {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Settings a format may read (all optional; each format documents its own). */
export interface FormatOptions {
  /** Parts are gzipped (`.gz` appended to every part's name). */
  gzip: boolean;
  /** neo4j-admin: the array delimiter (one character the data must not contain in string lists). */
  arrayDelimiter?: string;
}

/** A file of the set written once, beside the parts (a header file, constraints.cypher, IMPORT.md, load.cypher). */
export interface FixedFile {
  /** Relative to the export directory, `/` separated. */
  path: string;
  text: string;
}

/** How one plan entry becomes files. */
export interface EntryLayout {
  entry: string;
  kind: 'nodes' | 'relationships';
  /** Directory-free base name of the entry's files, unique in the set and safe in file names and import arguments. */
  base: string;
  /** Extension of the entry's parts before any `.gz`: "csv", "jsonl". */
  extension: string;
  /** Files written once for the entry before its first part (neo4j-admin: the header). */
  headers: FixedFile[];
  /** arangodb: the collection the entry's documents or edges go to (named in the manifest). */
  collection?: string;
}

/** What the finished set says about itself: the files besides the parts, and (neo4j-admin) the import arguments. */
export interface FinishedSet {
  files: FixedFile[];
  /** neo4j-admin: the arguments after `database import full <database>`, paths relative to the export directory. */
  importArgs?: string[];
}

/** What an encode may return instead of its text alone: facts about the part that finish() needs, kept in the manifest. */
export interface EncodedPart {
  text: string;
  /**
   * Facts the format reads back in finish(), its own words (neo4j-admin: "multiline" when a value holds a line break,
   * "empty-lists" when an empty list was marked for the after-import step).
   */
  notes?: string[];
}

/** The text of what an encode returned, and its notes (none for a plain text). */
export function encodedPart(encoded: string | EncodedPart): EncodedPart {
  return typeof encoded === 'string' ? { text: encoded } : encoded;
}

/** A part of the set as the manifest lists it (and as finish() sees it). */
export interface ManifestFile {
  /** Relative to the export directory. */
  path: string;
  entry: string;
  kind: 'nodes' | 'relationships';
  rows: number;
  /** arangodb: the collection. */
  collection?: string;
  /** true for a header file (neo4j-admin), which holds no rows. */
  header?: boolean;
  /** EncodedPart.notes of the part. */
  notes?: string[];
}

export interface FileFormat {
  readonly name: ExportFormatName;
  /** Changes when the files a format writes change meaning. */
  readonly formatVersion: number;
  /**
   * Lays out every entry of the plan; throws a Pg2GraphError (EXPORT_PLAN_UNSUPPORTED) naming the entry and the
   * property or name the format cannot hold, before anything is written.
   */
  layout(plan: ValidPlan, options: FormatOptions): EntryLayout[];
  /** The text of one part holding the batch's rows (a part never holds another batch's rows). */
  encodeNodes(batch: NodeBatch, entry: NodeEntry, layout: EntryLayout, options: FormatOptions): string | EncodedPart;
  encodeRelationships(batch: RelationshipBatch, entry: RelationshipEntry, layout: EntryLayout, options: FormatOptions): string | EncodedPart;
  /** Once every entry is complete: IMPORT.md and the format's load files, from the parts the manifest lists. */
  finish(plan: ValidPlan, layouts: EntryLayout[], files: ManifestFile[], options: FormatOptions): FinishedSet;
}
