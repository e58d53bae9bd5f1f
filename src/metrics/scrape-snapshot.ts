/**
 * Several gauges are filled from one snapshot (the pool's `stats()`, the watched servers' health):
 * taking it once per scrape, not once per gauge, keeps a scrape cheap and its figures consistent.
 * `refresh()` starts a scrape; `get()` reads the snapshot of the current one.
 */
export class ScrapeSnapshot<T> {
  private value: { taken: T } | null = null;

  constructor(private readonly take: () => T) {}

  refresh(): void {
    this.value = null;
  }

  get(): T {
    this.value ??= { taken: this.take() };
    return this.value.taken;
  }
}
