/**
 * The exit codes of the command line, one home for all: scripts tell a loss from a failure by them (README.md,
 * Command line). A run that ends with several of these exits with the lowest non-zero one that applies.
 */
export const EXIT = {
  ok: 0,
  /** Failed, stopped or interrupted (the error's code is on stderr). */
  failed: 1,
  /** Bad usage, or verify could not run. */
  usage: 2,
  /** The run finished but rejected rows whose values their rules cannot hold. */
  rejected: 3,
  /** The run finished but relationships found no start or end node (unless --allow-missing-ends). */
  missingEnds: 4,
  /** The run finished but the count check after it found an entry whose graph count differs from the source. */
  countMismatch: 5,
} as const;
