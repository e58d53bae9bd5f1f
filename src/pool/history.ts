import type { TaskRecord } from './task-record.js';
import type { HistoryQuery, TaskSnapshot } from './types.js';

/**
 * The last `capacity` finished tasks, oldest overwritten first. A fixed array: adding is O(1) and
 * memory is bounded however long the bot runs.
 */
export class History {
  private readonly ring: (TaskRecord | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<TaskRecord | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  add(record: TaskRecord): void {
    if (this.capacity === 0) return;
    if (this.ring[this.next] === undefined) this.count += 1;
    this.ring[this.next] = record;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
  }

  /** A linear scan: lookups are rare admin actions, while an id index would cost every task (measured). */
  get(id: number): TaskRecord | undefined {
    for (const record of this.ring) if (record !== undefined && record.id === id) return record;
    return undefined;
  }

  /** Newest first, filtered. */
  query(query: HistoryQuery = {}): TaskSnapshot[] {
    const limit = query.limit ?? 100;
    const found: TaskSnapshot[] = [];
    for (let i = 1; i <= this.count && found.length < limit; i += 1) {
      const record = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (record === undefined) continue;
      if (query.state !== undefined && record.state !== query.state) continue;
      if (query.key !== undefined && record.key !== query.key) continue;
      if (query.label !== undefined && record.label !== query.label) continue;
      found.push(record.snapshot());
    }
    return found;
  }

  /** Forgets every finished task (their results and errors become garbage). Returns how many. */
  clear(): number {
    const cleared = this.count;
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
    return cleared;
  }
}
