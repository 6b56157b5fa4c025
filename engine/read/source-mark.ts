/**
 * Did an entry's source change since an earlier reading wrote it? (README, Resuming a run.) A reading records,
 * in its own snapshot, the snapshot's xmin and the source table's row count (SourceMark); a resume asks, in
 * its snapshot, two things of the same table in one scan:
 * - rows whose version was written by a transaction at or after the recorded xmin (age(xmin) at most the
 *   recorded xmin's age): every insert or update the earlier snapshot did not see has one (a transaction the
 *   earlier snapshot did not see has an id at least its xmin), so none is missed; a few rows that snapshot did
 *   see may count too (written just before it, by a transaction id above its xmin), which costs a re-read only;
 * - the row count: with no such row, every row now was there then, so an equal count means no row was deleted.
 * Nothing here depends on the statistics collector (pg_stat_user_tables reports late), so a change committed
 * just before the resume's snapshot is seen. SQL entries and views have no row versions to ask: they are
 * always read again (no mark is recorded for them).
 */
import type { SourceMark } from '../core/records';
import { sourceFromSql, sourceTable, type PlanEntry } from '../plan/entry-columns';
import type { ReadSnapshot } from './snapshot';

/** Relation kinds whose rows carry xmin: tables, partitioned tables, materialized views. */
const VERSIONED_KINDS = new Set(['r', 'p', 'm']);

/**
 * Transaction ids between the recorded xmin and now, at most, for the 32-bit comparison of age() to hold (the
 * server keeps live row versions within 2^31 of the next id; this leaves a wide margin). Beyond it, or when
 * the ids went backwards (another server, a restore), the entry counts as changed.
 */
export const MAX_XID_DISTANCE = 2n ** 30n;

export interface MarkCheck {
  changed: boolean;
  /** Why it counts as changed, for the message ("12 rows inserted or updated since, ..."). */
  reason?: string;
  /** The source as this snapshot sees it (the mark a new reading records), when it can be checked at all. */
  mark?: SourceMark;
}

/** The xmin of the snapshot the queries run in, as decimal text (64-bit). */
export async function snapshotXmin(snapshot: ReadSnapshot): Promise<string> {
  const { rows } = await snapshot.queryText('SELECT pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text');
  return String(rows[0][0]);
}

/** Whether the entry's source has row versions to ask (a table, a partitioned table, a materialized view). */
async function versioned(snapshot: ReadSnapshot, entry: PlanEntry): Promise<boolean> {
  const table = sourceTable(entry);
  if (!table) return false;
  const { rows } = await snapshot.queryText(
    'SELECT c.relkind::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
    [table.schema, table.name],
  );
  return rows.length > 0 && VERSIONED_KINDS.has(String(rows[0][0]));
}

/** What a reading records of its source, or undefined for a SQL entry or a view. */
export async function readMark(snapshot: ReadSnapshot, entry: PlanEntry, xmin: string): Promise<SourceMark | undefined> {
  if (!(await versioned(snapshot, entry))) return undefined;
  const { rows } = await snapshot.queryText(`SELECT count(*)::text FROM ${sourceFromSql(entry)}`);
  return { xmin, rows: Number(rows[0][0]) };
}

/** The recorded xmin as the 32-bit id age() compares, or undefined when it is too far from now to compare. */
export function comparableXid(recorded: string, now: string): string | undefined {
  const then = BigInt(recorded);
  const current = BigInt(now);
  if (current < then || current - then > MAX_XID_DISTANCE) return undefined;
  return String(then % 2n ** 32n);
}

/** Checks an entry against what an earlier reading recorded (see above); `xmin` is this snapshot's. */
export async function checkMark(snapshot: ReadSnapshot, entry: PlanEntry, recorded: SourceMark | undefined, xmin: string): Promise<MarkCheck> {
  if (!(await versioned(snapshot, entry))) {
    return { changed: true, reason: `its source is ${sourceTable(entry) ? 'not a table' : 'a SQL query'}, which cannot be checked for changes` };
  }
  if (!recorded) {
    const mark = await readMark(snapshot, entry, xmin);
    return { changed: true, reason: 'its checkpoint does not record what the source looked like', ...(mark ? { mark } : {}) };
  }
  const xid = comparableXid(recorded.xmin, xmin);
  if (xid === undefined) {
    const mark = await readMark(snapshot, entry, xmin);
    return {
      changed: true,
      reason: `too many transactions since the checkpoint's snapshot (xmin ${recorded.xmin}, now ${xmin}) to compare`,
      ...(mark ? { mark } : {}),
    };
  }
  const { rows } = await snapshot.queryText(
    `SELECT count(*)::text, count(*) FILTER (WHERE pg_catalog.age(t.xmin) > 0 AND pg_catalog.age(t.xmin) <= pg_catalog.age($1::text::xid))::text FROM ${sourceFromSql(entry)} AS t`,
    [xid],
  );
  const count = Number(rows[0][0]);
  const written = Number(rows[0][1]);
  const mark = { xmin, rows: count };
  if (written === 0 && count === recorded.rows) return { changed: false, mark };
  const parts: string[] = [];
  if (written) parts.push(`${written} rows inserted or updated`);
  if (count !== recorded.rows) parts.push(`${recorded.rows} rows then, ${count} now`);
  return { changed: true, reason: parts.join(', '), mark };
}
