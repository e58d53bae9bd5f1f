/** One worker thread as the pool tracked it. */
export interface WorkerStats {
  threadId: number;
  alive: boolean;
  /** Tasks (and CPU steps) it finished well, and those that failed on it. */
  completed: number;
  failed: number;
  /** Time spent running tasks, and alive but not running them, in ms. */
  busyMs: number;
  idleMs: number;
  /** Id of the task it is running now, or null. */
  currentTaskId: number | null;
  startedAt: string;
  endedAt: string | null;
}

interface Entry {
  threadId: number;
  alive: boolean;
  completed: number;
  failed: number;
  busyMs: number;
  currentTaskId: number | null;
  /**
   * The piece of work the thread runs: the task, or one CPU step of it. Kept apart from the task id
   * because two steps of one task can follow each other on a thread before the first one's reply
   * is seen: only the piece itself says whether a reply or a stop is about what runs now.
   */
  currentWork: object | null;
  createdAt: number;
  destroyedAt: number;
}

/** Per-thread counters. Dead threads are kept (marked not alive) up to `keepDead`, then forgotten. */
export class WorkerStatsTable {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly keepDead = 32) {}

  /**
   * A thread started. Piscina may hand a thread its first task before it says the thread exists
   * (threads started with the pool are announced a microtask later): the entry made then is kept.
   */
  created(threadId: number): void {
    this.entry(threadId);
  }

  destroyed(threadId: number): void {
    const entry = this.entries.get(threadId);
    if (entry === undefined) return;
    entry.alive = false;
    entry.currentTaskId = null;
    entry.currentWork = null;
    entry.destroyedAt = performance.now();
    this.pruneDead();
  }

  /** Thread `threadId` took `work`, a piece of task `taskId` (the task itself, or one of its CPU steps). */
  assigned(threadId: number, work: object, taskId: number): void {
    const entry = this.entry(threadId);
    entry.currentTaskId = taskId;
    entry.currentWork = work;
  }

  finished(threadId: number, work: object, ok: boolean, busyMs: number): void {
    const entry = this.entries.get(threadId);
    if (entry === undefined) return;
    if (ok) entry.completed += 1;
    else entry.failed += 1;
    entry.busyMs += busyMs;
    if (entry.currentWork !== work) return;
    entry.currentTaskId = null;
    entry.currentWork = null;
  }

  /** Clears whichever thread runs `work` (it died or is being stopped). */
  release(work: object, countAsFailed: boolean): void {
    for (const entry of this.entries.values()) {
      if (entry.currentWork !== work) continue;
      entry.currentTaskId = null;
      entry.currentWork = null;
      if (countAsFailed) entry.failed += 1;
      return;
    }
  }

  /** Busy time over alive time of every thread ever tracked (kept ones), 0..1. */
  busyRatio(now: number): number {
    let busy = 0;
    let alive = 0;
    for (const entry of this.entries.values()) {
      busy += entry.busyMs;
      alive += (entry.alive ? now : entry.destroyedAt) - entry.createdAt;
    }
    return alive <= 0 ? 0 : Math.min(1, busy / alive);
  }

  list(now: number): WorkerStats[] {
    return [...this.entries.values()].map((e) => {
      const aliveMs = (e.alive ? now : e.destroyedAt) - e.createdAt;
      return {
        threadId: e.threadId, alive: e.alive, completed: e.completed, failed: e.failed,
        busyMs: round(e.busyMs), idleMs: round(Math.max(0, aliveMs - e.busyMs)), currentTaskId: e.currentTaskId,
        startedAt: new Date(performance.timeOrigin + e.createdAt).toISOString(),
        endedAt: e.alive ? null : new Date(performance.timeOrigin + e.destroyedAt).toISOString(),
      };
    });
  }

  private entry(threadId: number): Entry {
    let entry = this.entries.get(threadId);
    if (entry === undefined) {
      entry = { threadId, alive: true, completed: 0, failed: 0, busyMs: 0, currentTaskId: null, currentWork: null, createdAt: performance.now(), destroyedAt: 0 };
      this.entries.set(threadId, entry);
    }
    return entry;
  }

  private pruneDead(): void {
    const dead = [...this.entries.values()].filter((e) => !e.alive);
    for (const entry of dead.slice(0, Math.max(0, dead.length - this.keepDead))) this.entries.delete(entry.threadId);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
