/**
 * What the Bolt writer needs of a connection, and its observation points: shared by neo4j-target.ts and
 * batch-runner.ts.
 */
import type { Session } from 'neo4j-driver';
import type { GraphDialect } from '../connect/neo4j-settings';
import type { Pg2GraphError } from '../core/errors';
import type { Phase } from '../core/records';

/** What the target needs of a connection (Neo4jConnection has it). */
export interface BoltConnection {
  readonly dialect: GraphDialect;
  session(mode?: 'READ' | 'WRITE'): Session;
  translate(error: unknown): Pg2GraphError;
}

export interface WriteAttempt {
  kind: Phase;
  entry: string;
  index: number;
  /** 1 for the first try. */
  attempt: number;
}

/** Observation points; afterWrite exists for tests that need a failure at an exact place in a real transaction. */
export interface WriteHooks {
  /**
   * Runs inside the attempt's transaction after the batch's statements, before its checkpoint is locked and
   * the transaction commits; a throw fails the attempt as a server error would.
   */
  afterWrite?(attempt: WriteAttempt): void | Promise<void>;
  onRetry?(attempt: WriteAttempt, error: unknown, delayMs: number): void;
}
