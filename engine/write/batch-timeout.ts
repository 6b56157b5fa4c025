/**
 * The writer's deadline (README.md, Writing): a batch whose transaction has not committed within it fails with
 * WRITE_TIMEOUT and is given up, and so does any statement of the writer's own (constraints, checkpoint reads);
 * a stalled or frozen server never answers, so a server-side transaction timeout alone cannot end the wait.
 */
import type { ErrorCode } from '../core/error-codes';
import { integerSetting } from '../core/settings';

export const DEFAULT_BATCH_TIMEOUT_MS = 60_000;
/** One day. */
export const MAX_BATCH_TIMEOUT_MS = 86_400_000;

/**
 * A batch timeout given as a number or numeric text: an integer of milliseconds from 1 to 86,400,000, else an
 * error with the caller's code naming the setting as the caller calls it (`Writer setting "batchTimeoutMs"`,
 * `--batch-timeout-ms`).
 */
export function checkBatchTimeout(value: unknown, code: ErrorCode, setting: string, what: string, details?: Record<string, unknown>): number {
  return integerSetting(value, { code, setting, what, min: 1, max: MAX_BATCH_TIMEOUT_MS, details });
}
