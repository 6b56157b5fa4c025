/** Verification's graph side over Bolt: the Cypher of cypher.ts run by GraphReader, values compared by sameGraphValue. */
import type { Neo4jConnection } from '../connect/neo4j-connection';
import { describeGraphValue } from '../values/graph-text';
import { sameGraphValue } from './compare';
import {
  nodeCount,
  nodeKeys,
  nodeLookup,
  relationshipCount,
  relationshipEndsExist,
  relationshipLookup,
  relationshipPairs,
  type NodeTarget,
  type RelationshipTarget,
} from './cypher';
import { GraphReader } from './graph';
import type { FoundRecord, GraphSide } from './graph-side';

async function* field(records: AsyncIterable<{ get(key: string): unknown }>, name: string): AsyncGenerator<unknown[]> {
  for await (const record of records) yield record.get(name) as unknown[];
}

export class CypherGraphSide implements GraphSide {
  readonly reader: GraphReader;

  constructor(connection: Neo4jConnection, stallTimeoutMs?: number) {
    this.reader = new GraphReader(connection, stallTimeoutMs);
  }

  nodeCount(target: NodeTarget): Promise<number> {
    return this.reader.count(nodeCount(target));
  }

  relationshipCount(target: RelationshipTarget): Promise<number> {
    return this.reader.count(relationshipCount(target));
  }

  nodeLookup(target: NodeTarget, keys: unknown[][], compare: boolean[]): Promise<Map<number, FoundRecord>> {
    return this.found(nodeLookup(target), { keys, compare });
  }

  relationshipLookup(target: RelationshipTarget, pairs: unknown[][], compare: boolean[]): Promise<Map<number, FoundRecord>> {
    return this.found(relationshipLookup(target), { pairs, compare });
  }

  async endsExist(target: RelationshipTarget, pair: unknown[]): Promise<{ starts: number; ends: number }> {
    const [answer] = await this.reader.records(relationshipEndsExist(target), { pair });
    return { starts: Number(answer.get('starts')), ends: Number(answer.get('ends')) };
  }

  nodeKeys(target: NodeTarget): AsyncIterable<unknown[]> {
    return field(this.reader.stream(nodeKeys(target)), 'key');
  }

  relationshipPairs(target: RelationshipTarget): AsyncIterable<unknown[]> {
    return field(this.reader.stream(relationshipPairs(target)), 'pair');
  }

  sameValue(expected: unknown, found: unknown): boolean {
    return sameGraphValue(expected, found);
  }

  describeFound(found: unknown): string {
    return describeGraphValue(found);
  }

  private async found(text: string, params: Record<string, unknown>): Promise<Map<number, FoundRecord>> {
    const answers = new Map<number, FoundRecord>();
    for (const record of await this.reader.records(text, params)) {
      answers.set(Number(record.get('i')), { count: Number(record.get('count')), properties: record.get('properties') as Record<string, unknown> | null });
    }
    return answers;
  }
}
