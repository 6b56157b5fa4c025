/**
 * Read-only Cypher for verification: one auto-commit read per statement; streamed results pause the server while
 * the caller works. A server that stops answering (frozen, half-open) fails the read after the stall timeout
 * instead of holding the verification forever (README.md, Verification).
 */
import type { Record as Neo4jRecord, Session } from 'neo4j-driver';
import type { Neo4jConnection } from '../connect/neo4j-connection';
import { settlesWithin, withDeadline } from '../core/deadline';
import { Pg2GraphError } from '../core/errors';

/** How long a verification read may wait for the server's next answer (a whole result, or a streamed record's next one). */
export const GRAPH_STALL_TIMEOUT_MS = 120_000;
/** A session of a stalled server may never confirm its close: it is given up after this. */
const CLOSE_WAIT_MS = 2000;

export class GraphReader {
  private readonly connection: Neo4jConnection;
  private readonly stallTimeoutMs: number;

  constructor(connection: Neo4jConnection, stallTimeoutMs = GRAPH_STALL_TIMEOUT_MS) {
    this.connection = connection;
    this.stallTimeoutMs = stallTimeoutMs;
  }

  async records(text: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    const session = this.connection.session('READ');
    try {
      return (await this.inTime(session.run(text, params))).records;
    } catch (error) {
      throw error instanceof Pg2GraphError ? error : this.connection.translate(error);
    } finally {
      await this.close(session);
    }
  }

  async count(text: string, params: Record<string, unknown> = {}): Promise<number> {
    const [record] = await this.records(text, params);
    return Number(String(record.get('count')));
  }

  /** Records one by one with backpressure; leaving the loop early ends the query. */
  async *stream(text: string, params: Record<string, unknown> = {}): AsyncGenerator<Neo4jRecord> {
    const session = this.connection.session('READ');
    const records = session.run(text, params)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await this.inTime(records.next());
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      throw error instanceof Pg2GraphError ? error : this.connection.translate(error);
    } finally {
      await this.close(session);
    }
  }

  private inTime<T>(work: Promise<T>): Promise<T> {
    return withDeadline(
      Promise.resolve(work),
      this.stallTimeoutMs,
      () =>
        new Pg2GraphError(
          'NEO4J_UNREACHABLE',
          `Neo4j at ${this.connection.target} gave no answer to a verification read within ${this.stallTimeoutMs} ms (the server stalled or the connection is half-open)`,
        ),
    );
  }

  private async close(session: Session): Promise<void> {
    await settlesWithin(
      session.close().catch(() => undefined),
      CLOSE_WAIT_MS,
    );
  }
}
