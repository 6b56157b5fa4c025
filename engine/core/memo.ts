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
