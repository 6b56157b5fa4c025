import type { WriteStats } from './records';

export function emptyStats(): WriteStats {
  return { nodesCreated: 0, nodesUpdated: 0, relationshipsCreated: 0, propertiesSet: 0, missingEnds: 0, retries: 0 };
}

/** Adds b into a (in place) and returns a. */
export function addStats(a: WriteStats, b: Partial<WriteStats>): WriteStats {
  a.nodesCreated += b.nodesCreated ?? 0;
  a.nodesUpdated += b.nodesUpdated ?? 0;
  a.relationshipsCreated += b.relationshipsCreated ?? 0;
  a.propertiesSet += b.propertiesSet ?? 0;
  a.missingEnds += b.missingEnds ?? 0;
  a.retries += b.retries ?? 0;
  return a;
}

/** Only the WriteStats fields of a larger result (what an acknowledgement carries). */
export function pickStats(result: WriteStats): WriteStats {
  return addStats(emptyStats(), result);
}
