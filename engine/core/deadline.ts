/**
 * Deadlines for work that a stalled server may never answer (a half-open Bolt port, a frozen Neo4j): the caller
 * stops waiting, the work itself goes on unobserved (README.md, Connections and Writing).
 */

/**
 * The work's outcome, or, when it has not settled within ms, the error of onTimeout(). A late outcome of the work
 * is ignored (a late rejection never becomes an unhandled one).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

const inTime = (): true => true;

/** Waits for the work at most ms: true when it settled (either way) in time, false when the time ran out. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(inTime, inTime), expired]);
  } finally {
    clearTimeout(timer);
  }
}
