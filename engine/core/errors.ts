import type { ErrorCode } from './error-codes';

/**
 * Every failure the engine reports is a Pg2GraphError: a stable code (one of ERROR_CODES) that scripts and
 * Catch nodes can branch on, and a message that names the thing at fault (setting, table, column, plan path, key).
 */
export class Pg2GraphError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'Pg2GraphError';
    this.code = code;
    this.details = details;
  }
}

export function isPg2GraphError(value: unknown): value is Pg2GraphError {
  return value instanceof Pg2GraphError;
}

/** The message of anything thrown, for wrapping foreign errors. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
