/** What every entry check shares: the run's snapshot, the graph, the options and progress reporting. */
import { Pg2GraphError } from '../core/errors';
import type { GraphPlan } from '../plan/types';
import type { ReadSnapshot } from '../read/snapshot';
import type { GraphSide } from './graph-side';

export interface VerifyProgress {
  /** Entry being checked, and whether it is a node or relationship entry. */
  entry: string;
  kind: 'node' | 'relationship';
  /** Source records of the entry checked so far, and how many it has. */
  rows: number;
  total: number;
  /** Entries finished, of how many. */
  done: number;
  entries: number;
}

export interface VerifyContext {
  plan: GraphPlan;
  snapshot: ReadSnapshot;
  graph: GraphSide;
  /** Records compared property by property per entry; undefined: all. */
  sample: number | undefined;
  batchSize: number;
  signal: AbortSignal | undefined;
  progress(update: Pick<VerifyProgress, 'entry' | 'kind' | 'rows' | 'total'>, force?: boolean): void;
}

export function checkCancelled(context: VerifyContext): void {
  if (context.signal?.aborted) throw new Pg2GraphError('VERIFY_CANCELLED', 'the verification was cancelled');
}
