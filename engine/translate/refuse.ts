/**
 * The translator's two failures: a construct it does not translate (TRANSLATE_UNSUPPORTED, naming the construct
 * and its position), and SQL it cannot take at all (TRANSLATE_INPUT_INVALID: parse errors, unmapped names).
 * Positions are 1-based character positions in the SQL, as Postgres reports them.
 */
import { Pg2GraphError } from '../core/errors';

export function unsupported(construct: string, position: number | undefined, why?: string): Pg2GraphError {
  const at = position === undefined ? '' : ` at character ${position}`;
  return new Pg2GraphError('TRANSLATE_UNSUPPORTED', `Cannot translate ${construct}${at}${why ? `: ${why}` : ''}`, { construct, position });
}

export function invalidInput(message: string, details: Record<string, unknown> = {}): Pg2GraphError {
  return new Pg2GraphError('TRANSLATE_INPUT_INVALID', message, details);
}
