import type { NodeStatus } from '../lib/red';

/**
 * A node status refreshed at most once per interval: the latest update always shows, late if need be (a
 * trailing timer), and a stream of batches costs the editor one message a second at most.
 */
export class ThrottledStatus {
  private lastShown = 0;
  private timer: NodeJS.Timeout | undefined;
  private latest: (() => NodeStatus) | undefined;

  constructor(private readonly show: (status: NodeStatus) => void, private readonly intervalMs = 1000) {}

  update(make: () => NodeStatus): void {
    this.latest = make;
    if (this.timer) return;
    const wait = this.lastShown + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Shows a status at once (failures), dropping any pending update. */
  now(status: NodeStatus): void {
    this.stop();
    this.lastShown = Date.now();
    this.show(status);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const make = this.latest;
    this.latest = undefined;
    if (!make) return;
    this.lastShown = Date.now();
    this.show(make());
  }
}
