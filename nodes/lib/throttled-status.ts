import type { NodeStatus, RedNode } from './red';

/**
 * Status updates at most once per interval: the latest one wins, the rest are dropped. Failures and final
 * states go through now() so they are never held back.
 */
export class ThrottledStatus {
  private pending: NodeStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastShown = 0;

  constructor(private readonly node: RedNode, private readonly intervalMs = 1000) {}

  set(status: NodeStatus): void {
    this.pending = status;
    const wait = this.lastShown + this.intervalMs - Date.now();
    if (wait <= 0) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), wait);
  }

  now(status: NodeStatus | Record<string, never>): void {
    this.clear();
    this.lastShown = Date.now();
    this.node.status(status);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.pending) return;
    const status = this.pending;
    this.pending = undefined;
    this.lastShown = Date.now();
    this.node.status(status);
  }
}
