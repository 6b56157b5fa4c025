/**
 * Our own retry loop, for every writer and checkpoint store (not the driver's executeWrite) so the number of retries reported is the number that
 * happened: exponential backoff with jitter, transient errors only, then the last error with the count.
 */
export interface RetryPolicy {
  /** Attempts after the first one. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 5000 };

/** The work failed: `error` is the last failure, `retries` how many times it was tried again before. */
export class RetryFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly retries: number,
    readonly transient: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'RetryFailure';
  }
}

/** Delay before retry n (1-based): base * 2^(n-1), capped, then scattered over its upper half. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  isTransient: (error: unknown) => boolean,
  onRetry?: (error: unknown, retry: number, delayMs: number) => void,
): Promise<{ value: T; retries: number }> {
  for (let retries = 0; ; retries += 1) {
    try {
      return { value: await attempt(retries + 1), retries };
    } catch (error) {
      const transient = isTransient(error);
      if (!transient || retries >= policy.maxRetries) throw new RetryFailure(error, retries, transient);
      const delay = backoffDelay(retries + 1, policy);
      onRetry?.(error, retries + 1, delay);
      await sleep(delay);
    }
  }
}
