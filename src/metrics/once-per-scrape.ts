/**
 * Several gauges are filled from one snapshot (the pool's `stats()`, the watched servers' health):
 * taking it once per scrape, not once per gauge, keeps a scrape cheap and its figures consistent.
 * A snapshot younger than `maxAgeMs` is reused.
 */
export function oncePerScrape<T>(take: () => T, maxAgeMs = 250, now: () => number = () => performance.now()): () => T {
  let cached: { at: number; value: T } | null = null;
  return () => {
    const at = now();
    if (cached === null || at - cached.at > maxAgeMs) cached = { at, value: take() };
    return cached.value;
  };
}
