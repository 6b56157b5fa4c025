import type { WriteStats } from './records';

export function emptyStats(): WriteStats {
  return { nodesCreated: 0, nodesMatched: 0, relationshipsCreated: 0, propertiesWritten: 0, missingEnds: 0, retries: 0 };
}

/** Adds b into a (in place) and returns a. */
export function addStats(a: WriteStats, b: Partial<WriteStats>): WriteStats {
  a.nodesCreated += b.nodesCreated ?? 0;
  a.nodesMatched += b.nodesMatched ?? 0;
  a.relationshipsCreated += b.relationshipsCreated ?? 0;
  a.propertiesWritten += b.propertiesWritten ?? 0;
  a.missingEnds += b.missingEnds ?? 0;
  a.retries += b.retries ?? 0;
  return a;
}

/** Only the WriteStats fields of a larger result (what an acknowledgement carries). */
export function pickStats(result: WriteStats): WriteStats {
  return addStats(emptyStats(), result);
}
