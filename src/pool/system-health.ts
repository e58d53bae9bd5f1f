import type { EventLoopDelay, EventLoopMonitor } from './event-loop.js';

/** The process's health as the pool sees it. */
export interface SystemHealth {
  /** Process CPU time over wall time since the previous reading, in percent of one core (can exceed 100 with threads). */
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Threads running JavaScript: the main thread plus live worker threads. */
  threadCount: number;
  /** Main event-loop delay since the previous reading. */
  eventLoopDelay: EventLoopDelay;
}

/** Reads CPU, memory and event-loop figures; each reading covers the time since the previous one. */
export class SystemHealthReader {
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  constructor(private readonly eventLoop: EventLoopMonitor) {}

  read(workerThreads: number): SystemHealth {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallUs = Math.max(1, (now - this.lastAt) * 1000);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const memory = process.memoryUsage();
    const eventLoopDelay = this.eventLoop.read();
    this.eventLoop.reset();
    return {
      cpuPercent: Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 10,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      threadCount: 1 + workerThreads,
      eventLoopDelay,
    };
  }
}
