import type { EventLoopDelay, EventLoopMonitor } from './event-loop.js';

/** The process's health as the pool sees it. */
export interface SystemHealth {
  /** Process CPU time over wall time in the current window (see below), in percent of one core (can exceed 100 with threads). */
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Threads running JavaScript: the main thread plus live worker threads. */
  threadCount: number;
  /** Main event-loop delay over the current window and the one before it. */
  eventLoopDelay: EventLoopDelay;
}

/** Length of one window of CPU and event-loop figures. */
const WINDOW_MS = 30_000;
/** A window younger than this says too little on its own: the previous one is shown with it. */
const MIN_WINDOW_MS = 5_000;

/**
 * Reads CPU, memory and event-loop figures over fixed windows of 30 s (the current one and the one
 * before), not "since the previous reading": several readers (/admin queue, /api/stats and the
 * dashboard's page, each reading pool.stats()) then see the same figures, instead of each one emptying
 * them for the others.
 */
export class SystemHealthReader {
  private windowStart = performance.now();
  private cpuAtStart = process.cpuUsage();
  private previous: { cpuPercent: number; eventLoopDelay: EventLoopDelay } | null = null;

  constructor(private readonly eventLoop: EventLoopMonitor, private readonly clock: () => number = () => performance.now()) {
    this.windowStart = clock();
  }

  read(workerThreads: number): SystemHealth {
    const now = this.clock();
    let current = this.current(now);
    if (now - this.windowStart >= WINDOW_MS) {
      this.previous = current;
      this.windowStart = now;
      this.cpuAtStart = process.cpuUsage();
      this.eventLoop.reset();
      current = this.current(now);
    }
    const young = now - this.windowStart < MIN_WINDOW_MS;
    const memory = process.memoryUsage();
    return {
      cpuPercent: young && this.previous ? this.previous.cpuPercent : current.cpuPercent,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      threadCount: 1 + workerThreads,
      eventLoopDelay: this.previous ? worse(this.previous.eventLoopDelay, current.eventLoopDelay) : current.eventLoopDelay,
    };
  }

  private current(now: number): { cpuPercent: number; eventLoopDelay: EventLoopDelay } {
    const cpu = process.cpuUsage(this.cpuAtStart);
    const wallUs = Math.max(1, (now - this.windowStart) * 1000);
    return { cpuPercent: Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 10, eventLoopDelay: this.eventLoop.read() };
  }
}

function worse(a: EventLoopDelay, b: EventLoopDelay): EventLoopDelay {
  return { maxMs: Math.max(a.maxMs, b.maxMs), p99Ms: Math.max(a.p99Ms, b.p99Ms), meanMs: Math.max(a.meanMs, b.meanMs) };
}
