/**
 * Which source rows get their properties compared: all of them, or `size` rows spread evenly over the entry
 * in its stream order (key order, or content-hash order for entries without a unique key), so the same
 * database always gives the same sample.
 */
export class Sampler {
  private readonly total: number;
  private readonly size: number | undefined;
  /** Rows chosen so far. */
  chosen = 0;

  /** `size` undefined: every row. */
  constructor(total: number, size: number | undefined) {
    this.total = total;
    this.size = size;
  }

  get all(): boolean {
    return this.size === undefined || this.size >= this.total;
  }

  /** Whether the row at 0-based stream position `position` is in the sample: floor(p·n/N) steps at exactly n rows. */
  takes(position: number): boolean {
    if (position >= this.total) return false;
    const take = this.all || Math.floor(((position + 1) * (this.size as number)) / this.total) > Math.floor((position * (this.size as number)) / this.total);
    if (take) this.chosen++;
    return take;
  }
}
