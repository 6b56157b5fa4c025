/**
 * Where `pg2graph migrate` keeps the rows the shapers rejected: `--rejects FILE` appends one JSON line per row
 * ({ run, entry, key, column, value?, reason }); without it the first few are shown on stderr.
 */
import fs from 'fs';
import { Pg2GraphError, messageOf, type BatchInfo, type RowReject } from '../engine/core';
import type { CliIo } from './io';

/** Rejected rows shown on stderr when no file keeps them. */
const SHOWN_WITHOUT_FILE = 5;

export class RejectsSink {
  private readonly fd?: number;
  private shown = 0;
  count = 0;

  /** Opens FILE for appending at once, so a path that cannot be written fails before anything is migrated. */
  constructor(
    private readonly io: CliIo,
    readonly file?: string,
  ) {
    if (file === undefined) return;
    if (!file) throw new Pg2GraphError('CLI_FLAG_INVALID', '--rejects needs a file name', { flag: 'rejects' });
    try {
      this.fd = fs.openSync(file, 'a');
    } catch (error) {
      throw new Pg2GraphError('CLI_FLAG_INVALID', `--rejects ${file}: the file cannot be written (${messageOf(error)})`, { flag: 'rejects' });
    }
  }

  add(rejects: RowReject[], batch: BatchInfo): void {
    this.count += rejects.length;
    if (this.fd !== undefined) {
      fs.writeSync(this.fd, rejects.map((reject) => `${JSON.stringify({ run: batch.run, ...reject })}\n`).join(''));
      return;
    }
    for (const reject of rejects) {
      if (this.shown++ >= SHOWN_WITHOUT_FILE) return;
      this.io.err(`rejected: entry "${reject.entry}", row ${reject.key}, column "${reject.column}": ${reject.reason}`);
    }
  }

  /** The closing line for stderr, when rows were rejected. */
  summary(): string | undefined {
    if (!this.count) return undefined;
    const where = this.file !== undefined ? `listed in ${this.file}` : `${Math.min(this.count, SHOWN_WITHOUT_FILE)} shown above; --rejects FILE keeps them all`;
    return `${this.count} row${this.count === 1 ? '' : 's'} rejected (values their rules cannot hold), not written: ${where}`;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
  }
}
