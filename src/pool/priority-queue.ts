import { FIRST_BULK_RANK, PRIORITY_NAMES } from './types.js';

/** What the queue needs from an item. */
export interface Queueable {
  /** 0 (CRITICAL) .. 3 (LOW). */
  readonly rank: number;
  /** When it was queued (performance.now()). */
  queuedAt: number;
  /** Set once the item is cancelled or otherwise settled while still queued: the queue skips it. */
  settled: boolean;
}

/**
 * Four FIFO levels with aging. Each level is an array with a moving head (O(1) push and shift without
 * a linked list); cancelled items stay in place and are skipped when reached, so cancelling is O(1).
 *
 * Aging: an item's effective rank improves by one per `agingMs` waited, so a LOW item waiting long
 * enough is taken before fresher NORMAL and even HIGH work; it never gains interactive *capacity*,
 * only order. Only level heads are compared: within a level the head has waited longest.
 */
export class PriorityQueue<T extends Queueable> {
  private readonly levels: T[][] = PRIORITY_NAMES.map(() => []);
  private readonly heads: number[] = PRIORITY_NAMES.map(() => 0);
  private readonly live: number[] = PRIORITY_NAMES.map(() => 0);

  constructor(private readonly agingMs: number) {}

  push(item: T): void {
    (this.levels[item.rank] as T[]).push(item);
    this.live[item.rank] = (this.live[item.rank] as number) + 1;
  }

  /** Puts an item back at the head of its level: it was taken and could not start after all, or is taken back. */
  pushFront(item: T): void {
    const level = this.levels[item.rank] as T[];
    const head = this.heads[item.rank] as number;
    if (head > 0) {
      level[head - 1] = item;
      this.heads[item.rank] = head - 1;
    } else {
      level.unshift(item);
    }
    this.live[item.rank] = (this.live[item.rank] as number) + 1;
  }

  /** Marks a queued item gone (it is skipped later). */
  forget(item: T): void {
    this.live[item.rank] = (this.live[item.rank] as number) - 1;
  }

  /** Live items per level, CRITICAL first. */
  depths(): readonly number[] {
    return this.live;
  }

  get size(): number {
    return (this.live[0] as number) + (this.live[1] as number) + (this.live[2] as number) + (this.live[3] as number);
  }

  /** The oldest queued item's wait in ms, or 0. */
  oldestWaitMs(now: number): number {
    let oldest = now;
    for (let rank = 0; rank < this.levels.length; rank += 1) {
      const head = this.peek(rank);
      if (head !== undefined && head.queuedAt < oldest) oldest = head.queuedAt;
    }
    return now - oldest;
  }

  /**
   * Removes and returns the item to run next, or undefined. With `bulkAllowed` false only
   * interactive levels are considered (the bulk share is full).
   */
  take(now: number, bulkAllowed: boolean): T | undefined {
    const last = bulkAllowed ? this.levels.length : FIRST_BULK_RANK;
    let best = -1;
    let bestScore = Infinity;
    let bestAt = Infinity;
    for (let rank = 0; rank < last; rank += 1) {
      const head = this.peek(rank);
      if (head === undefined) continue;
      const score = this.agingMs > 0 ? rank - (now - head.queuedAt) / this.agingMs : rank;
      if (score < bestScore || (score === bestScore && head.queuedAt < bestAt)) {
        best = rank;
        bestScore = score;
        bestAt = head.queuedAt;
      }
    }
    return best < 0 ? undefined : this.shift(best);
  }

  private peek(rank: number): T | undefined {
    const level = this.levels[rank] as T[];
    if (this.live[rank] === 0) {
      // Only cancelled leftovers remain: drop them.
      level.length = 0;
      this.heads[rank] = 0;
      return undefined;
    }
    let head = this.heads[rank] as number;
    while (head < level.length && (level[head] as T).settled) head += 1;
    this.heads[rank] = head;
    this.compact(rank);
    return level[this.heads[rank] as number];
  }

  private shift(rank: number): T {
    const level = this.levels[rank] as T[];
    const head = this.heads[rank] as number;
    const item = level[head] as T;
    level[head] = undefined as unknown as T;
    this.heads[rank] = head + 1;
    this.live[rank] = (this.live[rank] as number) - 1;
    this.compact(rank);
    return item;
  }

  /** Drops the consumed prefix once it is large, so memory follows the live size. */
  private compact(rank: number): void {
    const head = this.heads[rank] as number;
    const level = this.levels[rank] as T[];
    if (head === level.length) {
      level.length = 0;
      this.heads[rank] = 0;
    } else if (head > 1024 && head * 2 > level.length) {
      level.splice(0, head);
      this.heads[rank] = 0;
    }
  }
}
