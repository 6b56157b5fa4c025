/**
 * Everything verification reads from the graph, in the plan's terms (README.md, Verification): counts, the
 * records found for a batch of source keys or end pairs (with their properties when asked), every graph
 * identity (for records the source does not have), and how a found property compares with the value shaping
 * expects. Two sides: Cypher over Bolt (cypher.ts through GraphReader) and Gremlin (gremlin-side.ts). Every call
 * is bounded by the side's stall timeout.
 */
import type { NodeTarget, RelationshipTarget } from './cypher';

/** What the graph holds for one source record: how many records have its identity, and the first one's properties. */
export interface FoundRecord {
  count: number;
  /** By property name, in the side's own representation (compare with `sameValue`); null when not asked. */
  properties: Record<string, unknown> | null;
}

export interface GraphSide {
  nodeCount(target: NodeTarget): Promise<number>;
  relationshipCount(target: RelationshipTarget): Promise<number>;
  /**
   * The counts of many targets at once, in their order, where the side can read them in fewer requests than one
   * per target (Gremlin: one pass over the vertices and one over the edges, instead of a pass per label).
   */
  counts?(nodes: readonly NodeTarget[], relationships: readonly RelationshipTarget[]): Promise<{ nodes: number[]; relationships: number[] }>;
  /** Per position of `keys` that the graph has: what it holds (`compare[i]`: with its properties). */
  nodeLookup(target: NodeTarget, keys: unknown[][], compare: boolean[]): Promise<Map<number, FoundRecord>>;
  /** Per position of `pairs` ([from match values…, to match values…]) joined in the graph: what joins them. */
  relationshipLookup(target: RelationshipTarget, pairs: unknown[][], compare: boolean[]): Promise<Map<number, FoundRecord>>;
  /** Whether the ends of a pair exist: how many start and end nodes have its values. */
  endsExist(target: RelationshipTarget, pair: unknown[]): Promise<{ starts: number; ends: number }>;
  /** Every node's key values, as graph values. */
  nodeKeys(target: NodeTarget): AsyncIterable<unknown[]>;
  /** Every relationship's end values (from match values, then to match values), as graph values. */
  relationshipPairs(target: RelationshipTarget): AsyncIterable<unknown[]>;
  /** Whether a found property is the expected graph value, as this graph stores it. */
  sameValue(expected: unknown, found: unknown, element: 'node' | 'relationship'): boolean;
  /** A found property as report examples show it. */
  describeFound(found: unknown): string;
}
