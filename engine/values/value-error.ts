/**
 * A value that cannot become a graph value under its rule. Thrown by converters without context (they run
 * per cell and must stay cheap); the shaper catches it and adds entry, column and the row's key.
 */
export class ValueError extends Error {
  /** What is wrong, in words: "numeric with a fraction", "array with NULL elements (nullElements: error)". */
  readonly kind: string;
  /** The offending text as Postgres printed it. */
  readonly value: string;

  constructor(kind: string, value: string) {
    super(`${kind}: ${preview(value)}`);
    this.name = 'ValueError';
    this.kind = kind;
    this.value = value;
  }
}

/** The start of a value for messages: long texts and binary data are cut. */
export function preview(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}... (${value.length} characters)` : value;
  return JSON.stringify(shown);
}
