/** Read-only Cypher for verification: one auto-commit read per statement; streamed results pause the server while the caller works. */
import type { Record as Neo4jRecord } from 'neo4j-driver';
import type { Neo4jConnection } from '../connect/neo4j-connection';
import { Pg2GraphError } from '../core/errors';

export class GraphReader {
  private readonly connection: Neo4jConnection;

  constructor(connection: Neo4jConnection) {
    this.connection = connection;
  }

  async records(text: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    const session = this.connection.session('READ');
    try {
      return (await session.run(text, params)).records;
    } catch (error) {
      throw this.connection.translate(error);
    } finally {
      await session.close();
    }
  }

  async count(text: string, params: Record<string, unknown> = {}): Promise<number> {
    const [record] = await this.records(text, params);
    return Number(String(record.get('count')));
  }

  /** Records one by one with backpressure; leaving the loop early ends the query. */
  async *stream(text: string, params: Record<string, unknown> = {}): AsyncGenerator<Neo4jRecord> {
    const session = this.connection.session('READ');
    try {
      for await (const record of session.run(text, params)) yield record;
    } catch (error) {
      throw error instanceof Pg2GraphError ? error : this.connection.translate(error);
    } finally {
      await session.close();
    }
  }
}
