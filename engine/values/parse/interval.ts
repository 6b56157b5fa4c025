/**
 * Postgres interval text in IntervalStyle iso_8601 (pinned by the reader: every field carries its own sign,
 * so "1 mon -2 days" cannot be misread) -> neo4j Duration with months, days, seconds and nanoseconds kept
 * apart, exactly as Postgres stores them (a month is not 30 days, a day is not 24 hours).
 */
import { Duration, int } from 'neo4j-driver';
import { ValueError } from '../value-error';

const INTERVAL_TEXT = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+)(?:\.(\d{1,9}))?S)?)?$/;

const NANOS_PER_SECOND = 1_000_000_000n;

function n(text: string | undefined): number {
  return text ? Number(text) : 0;
}

function big(text: string | undefined): bigint {
  return text ? BigInt(text) : 0n;
}

export function parseInterval(text: string): Duration<number> {
  const m = INTERVAL_TEXT.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new ValueError('malformed interval text (expected IntervalStyle iso_8601)', text);
  const months = n(m[1]) * 12 + n(m[2]);
  const days = n(m[3]) * 7 + n(m[4]);
  // seconds "-6.5" means minus 6.5 s: the fraction takes the sign of its whole part
  const wholeSeconds = big(m[7]);
  const negativeSeconds = m[7]?.startsWith('-') ?? false;
  const fraction = m[8] ? BigInt(m[8].padEnd(9, '0')) : 0n;
  const totalNanos = (big(m[5]) * 3600n + big(m[6]) * 60n + wholeSeconds) * NANOS_PER_SECOND + (negativeSeconds ? -fraction : fraction);
  // floor division keeps the nanoseconds in [0, 1e9), the form Neo4j stores
  let seconds = totalNanos / NANOS_PER_SECOND;
  let rest = totalNanos % NANOS_PER_SECOND;
  if (rest < 0n) {
    seconds -= 1n;
    rest += NANOS_PER_SECOND;
  }
  return new Duration(months, days, int(seconds.toString()) as unknown as number, Number(rest));
}
