/** A check being counted: how many differences, and the first few of them as examples. */
import { MAX_EXAMPLES, type CheckName, type CheckResult, type Example } from './report';

export class Tally {
  count = 0;
  readonly examples: Example[] = [];

  add(example: Example | (() => Example), times = 1): void {
    this.count += times;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(typeof example === 'function' ? example() : example);
  }

  /** Examples only (the count is known otherwise, e.g. from totals). */
  example(example: Example): void {
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(example);
  }

  get full(): boolean {
    return this.examples.length >= MAX_EXAMPLES;
  }
}

export function checkResult(
  check: CheckName,
  ok: boolean,
  expected: number | string,
  found: number | string,
  examples: Example[] = [],
  note?: string,
): CheckResult {
  return { check, ok, expected, found, examples: ok ? [] : examples, ...(note ? { note } : {}) };
}
