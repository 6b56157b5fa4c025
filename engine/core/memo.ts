/**
 * Work done once per key while it succeeds: callers of the same key share the pending or fulfilled promise in
 * `cache`; a rejected one is forgotten, so the next caller starts the work again.
 */
export function onceUnlessFailed<T>(cache: Map<string, Promise<T>>, key: string, work: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = work();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}

/**
 * Values kept per run, for the runs seen last: a run that ends is forgotten at once (forget), one that never
 * ends (stopped, failed) once `keep` newer runs came, so a long-lived node does not grow with every run.
 */
export class PerRun<T> {
  private readonly runs = new Map<string, Map<string, T>>();

  constructor(private readonly keep = 16) {}

  of(run: string): Map<string, T> {
    let values = this.runs.get(run);
    if (!values) {
      values = new Map();
      this.runs.set(run, values);
      while (this.runs.size > this.keep) this.runs.delete(this.runs.keys().next().value as string);
    }
    return values;
  }

  /** The values of a run kept so far, without making room for it. */
  peek(run: string): Map<string, T> | undefined {
    return this.runs.get(run);
  }

  forget(run: string): void {
    this.runs.delete(run);
  }

  get size(): number {
    return this.runs.size;
  }
}
