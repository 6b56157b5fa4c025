import type { NodeStatus } from './red';

/**
 * A node status refreshed at most once per interval: the latest update always shows, late if need be (a
 * trailing timer), so a stream of batches costs the editor one message a second at most. An update may be a
 * function, evaluated only when it is shown. Failures and final states go through now(), never held back.
 */
export class ThrottledStatus {
  private pending: NodeStatus | (() => NodeStatus) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastShown = 0;

  constructor(
    private readonly node: { status(status: NodeStatus | Record<string, never>): void },
    private readonly intervalMs = 1000,
  ) {}

  set(status: NodeStatus | (() => NodeStatus)): void {
    this.pending = status;
    if (this.timer) return;
    const wait = this.lastShown + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Shows a status at once, dropping any pending update. */
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
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    this.lastShown = Date.now();
    this.node.status(typeof pending === 'function' ? pending() : pending);
  }
}
