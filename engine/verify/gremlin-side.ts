/**
 * Verification's graph side over Gremlin (README.md, Gremlin): records are found by the ids the writer gives them
 * (gremlin/ids.ts; an end matched on a property that is not its key is looked up by that property), a property
 * is compared in the Gremlin encoding of its expected value, Java type included (an Int is not the Long the rules
 * call for), and identities read back are turned into graph values again for the source lookup.
 */
import gremlin from 'gremlin';
import neo4j from 'neo4j-driver';
import { GremlinDouble, GremlinLong } from '../connect/gremlin-codec';
import type { GremlinConnection } from '../connect/gremlin-connection';
import { edgeId, vertexId } from '../gremlin/ids';
import { describeGremlinValue, gremlinProperty, sameGremlinValue } from '../gremlin/values';
import { verticesByProperties } from '../gremlin/traversals';
import { foundMatchText, matchText, safeScalar } from '../write/gremlin-rows';
import type { GraphPlan } from '../plan/types';
import { sameMembers } from '../core/sets';
import type { NodeTarget, RelationshipTarget } from './cypher';
import type { FoundRecord, GraphSide } from './graph-side';
import { GRAPH_STALL_TIMEOUT_MS } from './graph';

const { statics: __, t } = gremlin.process;
type Traversal = gremlin.process.GraphTraversal;

/** Ids per request when many are looked up at once. */
const IDS_AT_ONCE = 2000;

/** A value read back as the graph value it stands for (an identity for the source lookup). */
function graphValueOf(value: unknown): unknown {
  const single: unknown = Array.isArray(value) ? value[0] : value;
  if (single instanceof GremlinLong) return neo4j.int(single.value.toString());
  if (single instanceof GremlinDouble) return single.value;
  if (single instanceof Date) return new neo4j.types.Date(single.getUTCFullYear(), single.getUTCMonth() + 1, single.getUTCDate());
  return single;
}

export class GremlinGraphSide implements GraphSide {
  /** Primary label -> key properties of the plan's node entries. */
  private readonly keys = new Map<string, string[]>();

  constructor(
    private readonly connection: GremlinConnection,
    plan: GraphPlan,
    private readonly stallTimeoutMs = GRAPH_STALL_TIMEOUT_MS,
  ) {
    for (const entry of plan.nodes) this.keys.set(entry.label, [...entry.key]);
  }

  async nodeCount(target: NodeTarget): Promise<number> {
    return this.count(this.connection.g().V().hasLabel(target.labels[0]).count());
  }

  async relationshipCount(target: RelationshipTarget): Promise<number> {
    return this.count(this.edges(target).count());
  }

  async counts(nodes: readonly NodeTarget[], relationships: readonly RelationshipTarget[]): Promise<{ nodes: number[]; relationships: number[] }> {
    const g = () => this.connection.g();
    const labels = [...new Set(nodes.map((target) => target.labels[0]))];
    const types = [...new Set(relationships.map((target) => target.type))];
    const perLabel = labels.length
      ? ((
          await this.run(
            g()
              .V()
              .hasLabel(...labels)
              .groupCount()
              .by(t.label),
          )
        )[0] as Map<string, unknown>)
      : new Map();
    // an edge counts for a target when its label and both end labels are the target's: counted per triple
    const perTriple = types.length
      ? ((
          await this.run(
            g()
              .E()
              .hasLabel(...types)
              .groupCount()
              .by(__.union(__.label(), __.outV().label(), __.inV().label()).fold()),
          )
        )[0] as Map<unknown, unknown>)
      : new Map();
    const triples = new Map<string, number>();
    for (const [triple, count] of perTriple) triples.set(JSON.stringify(triple), countOf(count));
    return {
      nodes: nodes.map((target) => countOf(perLabel.get(target.labels[0]))),
      relationships: relationships.map((target) => triples.get(JSON.stringify([target.type, target.from.labels[0], target.to.labels[0]])) ?? 0),
    };
  }

  async nodeLookup(target: NodeTarget, keys: unknown[][], compare: boolean[]): Promise<Map<number, FoundRecord>> {
    const ids = keys.map((key) => vertexId(target.labels[0], key));
    const found = await this.elements('V', ids);
    return this.answers(ids, found, compare);
  }

  async relationshipLookup(target: RelationshipTarget, pairs: unknown[][], compare: boolean[]): Promise<Map<number, FoundRecord>> {
    const fromLength = target.from.match.length;
    const from = await this.endIds(
      target.from,
      pairs.map((pair) => pair.slice(0, fromLength)),
    );
    const to = await this.endIds(
      target.to,
      pairs.map((pair) => pair.slice(fromLength)),
    );
    const ids = pairs.map((_, i) => (from[i] !== undefined && to[i] !== undefined ? edgeId(target.type, from[i], to[i]) : undefined));
    const found = await this.elements(
      'E',
      ids.filter((id): id is string => id !== undefined),
    );
    return this.answers(ids, found, compare);
  }

  async endsExist(target: RelationshipTarget, pair: unknown[]): Promise<{ starts: number; ends: number }> {
    const fromLength = target.from.match.length;
    const [from] = await this.endIds(target.from, [pair.slice(0, fromLength)]);
    const [to] = await this.endIds(target.to, [pair.slice(fromLength)]);
    const exists = async (id: string | undefined) => (id === undefined ? 0 : (await this.elements('V', [id])).size);
    return { starts: await exists(from), ends: await exists(to) };
  }

  async *nodeKeys(target: NodeTarget): AsyncGenerator<unknown[]> {
    const rows = await this.run<Map<string, unknown>>(
      this.connection
        .g()
        .V()
        .hasLabel(target.labels[0])
        .valueMap(...target.key),
    );
    for (const row of rows) yield target.key.map((name) => graphValueOf(row.get(name)));
  }

  async *relationshipPairs(target: RelationshipTarget): AsyncGenerator<unknown[]> {
    const rows = await this.run<Map<string, Map<string, unknown>>>(
      this.edges(target)
        .project('a', 'b')
        .by(__.outV().valueMap(...target.from.match))
        .by(__.inV().valueMap(...target.to.match)),
    );
    for (const row of rows) {
      const a = row.get('a') ?? new Map<string, unknown>();
      const b = row.get('b') ?? new Map<string, unknown>();
      yield [...target.from.match.map((name) => graphValueOf(a.get(name))), ...target.to.match.map((name) => graphValueOf(b.get(name)))];
    }
  }

  sameValue(expected: unknown, found: unknown, element: 'node' | 'relationship'): boolean {
    try {
      return sameGremlinValue(gremlinProperty(expected, element === 'node' ? 'vertex' : 'edge'), found);
    } catch {
      return false;
    }
  }

  describeFound(found: unknown): string {
    return describeGremlinValue(found);
  }

  /** The relationships of a target: edges of its label between vertices of its end labels. */
  private edges(target: RelationshipTarget): Traversal {
    return this.connection.g().E().hasLabel(target.type).where(__.outV().hasLabel(target.from.labels[0])).where(__.inV().hasLabel(target.to.labels[0]));
  }

  /** The vertex ids of an end's match values: by key, or looked up by the properties it matches on. */
  private async endIds(end: { labels: string[]; match: string[] }, values: unknown[][]): Promise<Array<string | undefined>> {
    const label = end.labels[0];
    const key = this.keys.get(label);
    if (key && sameMembers(key, end.match)) {
      const order = key.map((name) => end.match.indexOf(name));
      return values.map((match) =>
        vertexId(
          label,
          order.map((i) => match[i]),
        ),
      );
    }
    const usable = values.filter((match) => match.every((value) => safeScalar(value) !== undefined));
    if (!usable.length) return values.map(() => undefined);
    const encoded = usable.map((match) => match.map((value) => safeScalar(value)!));
    const byValues = new Map<string, string>();
    for (const vertex of await this.run<Map<string, unknown>>(verticesByProperties(this.connection.g(), label, end.match, encoded))) {
      byValues.set(foundMatchText(end.match.map((name) => vertex.get(name))), String(vertex.get('id')));
    }
    return values.map((match) => byValues.get(matchText(match)));
  }

  /** Properties of the elements with these ids (a few thousand per request), by id. */
  private async elements(kind: 'V' | 'E', ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const distinct = [...new Set(ids)];
    for (let start = 0; start < distinct.length; start += IDS_AT_ONCE) {
      const part = distinct.slice(start, start + IDS_AT_ONCE);
      const g = this.connection.g();
      const elements = kind === 'V' ? g.V(...part) : (g as unknown as { E(...ids: string[]): Traversal }).E(...part);
      const rows = await this.run<Map<string, unknown>>(elements.project('id', 'properties').by(t.id).by(__.valueMap()));
      for (const row of rows) {
        const properties = row.get('properties') as Map<string, unknown>;
        found.set(String(row.get('id')), Object.fromEntries(properties));
      }
    }
    return found;
  }

  private answers(ids: Array<string | undefined>, found: Map<string, Record<string, unknown>>, compare: boolean[]): Map<number, FoundRecord> {
    const answers = new Map<number, FoundRecord>();
    ids.forEach((id, i) => {
      const properties = id === undefined ? undefined : found.get(id);
      if (properties) answers.set(i, { count: 1, properties: compare[i] ? properties : null });
    });
    return answers;
  }

  private async count(traversal: Traversal): Promise<number> {
    const [value] = await this.run(traversal);
    return countOf(value);
  }

  private run<T>(traversal: Traversal): Promise<T[]> {
    return this.connection.run<T>(traversal, this.stallTimeoutMs, 'a verification read');
  }
}

/** A count as the server sends it (Long), absent as 0. */
function countOf(value: unknown): number {
  return value === undefined || value === null ? 0 : Number((value as { toString(): string }).toString());
}
