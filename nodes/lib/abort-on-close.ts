/**
 * Work a node starts per message that must stop when the node closes (a redeploy, a stop): each piece runs with
 * its own AbortSignal, and closing the node clears its status and aborts every piece still running.
 */
import type { RedNode } from './red';
import type { ThrottledStatus } from './throttled-status';

export class AbortOnClose {
  private readonly running = new Set<AbortController>();

  constructor(node: RedNode, status: ThrottledStatus) {
    node.on('close', (_removed, done) => {
      status.clear();
      for (const controller of this.running) controller.abort();
      done();
    });
  }

  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.add(controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(controller);
    }
  }
}
