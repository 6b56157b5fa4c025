/**
 * The value-rule vocabulary a plan's properties and type policies speak: which graph value a column becomes, and
 * what to do with array NULL elements, multi-dimensional arrays and infinite dates.
 */

/**
 * How a column value becomes a graph value (see README, Value rules). Lists name their element rule: "list<integer>".
 * - integer: neo4j Integer (64-bit, exact); float: Float (NaN, ±Infinity, -0 kept); string: String (numeric
 *   stays exact text, json its JSON text); boolean; date: Date; localDateTime: LocalDateTime; dateTime:
 *   DateTime (UTC offset); localTime: LocalTime; time: Time (with offset); duration: Duration; bytes: byte[];
 *   point: cartesian Point; flatten: json objects as one property per top-level key (`<name>_<key>`).
 */
export type ScalarRule =
  'integer' | 'float' | 'string' | 'boolean' | 'date' | 'localDateTime' | 'dateTime' | 'localTime' | 'time' | 'duration' | 'bytes' | 'point' | 'flatten';
export type ValueRule = ScalarRule | `list<${ScalarRule}>`;

/** What to do with array NULL elements / multi-dimensional arrays: fail the row, drop (elements / the property), or store JSON text. */
export type ArrayPolicy = 'error' | 'drop' | 'json';
/** What to do with 'infinity' / '-infinity' dates and timestamps: keep the text, leave the property absent, or fail. */
export type InfinityPolicy = 'string' | 'null' | 'error';

/** Per-type defaults (options.typePolicies, keyed by pg type name) and per-property overrides use the same fields. */
export interface ValuePolicy {
  as?: ValueRule;
  nullElements?: ArrayPolicy;
  multiDimensional?: ArrayPolicy;
  infinity?: InfinityPolicy;
  /** char(n): strip the blank padding (default false: kept, as Postgres returns it). */
  trim?: boolean;
}
