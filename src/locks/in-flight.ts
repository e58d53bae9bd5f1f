/**
 * De-duplication of work by key: while a job for a key is queued or running, a second request for
 * the same key gets the first one back instead of starting another (a tick that finds the previous
 * tick still running, two admins pressing "refresh" at once).
 */
export interface InFlight<V> {
  /** The value registered for `key`, or `undefined` when nothing is in flight for it. */
  get(key: string): V | undefined;
  /**
   * Returns the in-flight value for `key` with `joined: true`, or registers `start()`'s value and
   * returns it with `joined: false`. `start` is only called when nothing is in flight.
   */
  joinOrStart(key: string, start: () => V): { value: V; joined: boolean };
  /** Forgets `key`, but only if `value` is still the one registered (a late finish cannot evict a newer run). */
  finish(key: string, value: V): void;
  /** Keys in flight right now. */
  readonly size: number;
}

/** Builds an empty in-flight registry. */
export function createInFlight<V>(): InFlight<V> {
  const byKey = new Map<string, V>();
  return {
    get: (key) => byKey.get(key),
    joinOrStart(key, start) {
      const existing = byKey.get(key);
      if (existing !== undefined) return { value: existing, joined: true };
      const value = start();
      byKey.set(key, value);
      return { value, joined: false };
    },
    finish(key, value) {
      if (byKey.get(key) === value) byKey.delete(key);
    },
    get size() {
      return byKey.size;
    },
  };
}
