/** Running totals of a writer (what pg2graph-write shows in its status and sends on its totals output). */
import type { WriteStats } from '../core/records';
import { addStats, emptyStats } from '../core/stats';

export interface EntryTotals extends WriteStats {
  batches: number;
  failedBatches: number;
}

export interface WriteTotalsSnapshot extends EntryTotals {
  /** Per plan entry id. */
  entries: Record<string, EntryTotals>;
}

function emptyEntry(): EntryTotals {
  return { ...emptyStats(), batches: 0, failedBatches: 0 };
}

export class WriteTotals {
  private total = emptyEntry();
  private entries = new Map<string, EntryTotals>();

  /** Counts one written batch of an entry. */
  add(entry: string, stats: Partial<WriteStats>): void {
    for (const target of [this.total, this.entryTotals(entry)]) {
      addStats(target, stats);
      target.batches += 1;
    }
  }

  /** Counts one failed batch of an entry (and the retries it used). */
  fail(entry: string, retries = 0): void {
    for (const target of [this.total, this.entryTotals(entry)]) {
      target.failedBatches += 1;
      target.retries += retries;
    }
  }

  snapshot(): WriteTotalsSnapshot {
    const entries: Record<string, EntryTotals> = {};
    for (const [entry, totals] of this.entries) entries[entry] = { ...totals };
    return { ...this.total, entries };
  }

  reset(): void {
    this.total = emptyEntry();
    this.entries = new Map();
  }

  private entryTotals(entry: string): EntryTotals {
    let totals = this.entries.get(entry);
    if (!totals) {
      totals = emptyEntry();
      this.entries.set(entry, totals);
    }
    return totals;
  }
}
