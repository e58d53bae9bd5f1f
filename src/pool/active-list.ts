/** What the list needs from an entry: its id, and two link fields only this list touches. */
export interface Linkable {
  readonly id: number;
  prevActive: Linkable | null;
  nextActive: Linkable | null;
}

/**
 * The queued and running tasks, oldest first, as a list threaded through the tasks themselves.
 * Adding and removing are a few pointer writes: a `Map` keyed by task id (an insert, a lookup and a
 * delete on every task) was the largest part of the pool's own main-thread time per task when
 * profiled with piscina stubbed out. Finding by id walks the list: it serves rare admin look-ups and cancels.
 */
export class ActiveList<T extends Linkable> {
  private head: T | null = null;
  private tail: T | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends `entry` (newest). It must not be in the list already. */
  add(entry: T): void {
    entry.prevActive = this.tail;
    entry.nextActive = null;
    if (this.tail === null) this.head = entry;
    else this.tail.nextActive = entry;
    this.tail = entry;
    this.count += 1;
  }

  /** Unlinks `entry`; false when it was not in the list. */
  remove(entry: T): boolean {
    if (entry.prevActive === null && this.head !== entry) return false;
    const prev = entry.prevActive as T | null;
    const next = entry.nextActive as T | null;
    if (prev === null) this.head = next;
    else prev.nextActive = next;
    if (next === null) this.tail = prev;
    else next.prevActive = prev;
    entry.prevActive = null;
    entry.nextActive = null;
    this.count -= 1;
    return true;
  }

  find(id: number): T | undefined {
    for (let at = this.head; at !== null; at = at.nextActive as T | null) if (at.id === id) return at;
    return undefined;
  }

  /** Up to `limit` entries, oldest first. */
  toArray(limit = Infinity): T[] {
    const out: T[] = [];
    for (let at = this.head; at !== null && out.length < limit; at = at.nextActive as T | null) out.push(at);
    return out;
  }
}
