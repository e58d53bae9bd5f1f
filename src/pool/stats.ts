import type { PoolCounters } from './counters.js';
import type { History } from './history.js';
import type { DurationSummary } from './samples.js';
import type { Scheduler } from './scheduler.js';
import type { SystemHealth } from './system-health.js';
import type { Threads } from './threads.js';
import { PRIORITY_NAMES } from './types.js';
import type { PriorityName, TaskSnapshot } from './types.js';
import type { WorkerStats, WorkerStatsTable } from './worker-stats.js';

/**
 * Everything about the pool in one plain-JSON object, for `/admin queue`, the HTTP API, Prometheus
 * and the dashboard. Durations are milliseconds, sizes bytes, ratios 0..1, times ISO-8601 UTC.
 */
export interface PoolStats {
  /** When this snapshot was taken. */
  takenAt: string;
  uptimeMs: number;
  /** False once shutdown has begun. */
  accepting: boolean;
  totals: {
    /** Every task ever submitted (joined and skipped duplicates are not new tasks). */
    submitted: number;
    completed: number;
    failed: number;
    cancelled: number;
    timedOut: number;
    /** completed / (completed + failed + cancelled + timedOut); 1 when nothing has finished. */
    successRate: number;
    /** Duplicate submissions that joined a task already queued or running (dedupe `join`). */
    joinedDuplicates: number;
    /** Duplicate submissions turned away because the same task was still queued or running (dedupe `skip`). */
    skippedDuplicates: number;
  };
  queue: {
    /** Tasks (and CPU steps of I/O tasks) waiting to start, CPU and I/O together. */
    depth: number;
    byPriority: Record<PriorityName, number>;
    cpuDepth: number;
    ioDepth: number;
    /** How long the oldest queued item has waited. */
    oldestWaitMs: number;
  };
  running: {
    /** CPU slots in use (tasks and steps) and I/O tasks running. */
    cpu: number;
    io: number;
    /** Every queued or running task, oldest first (at most 100). */
    tasks: TaskSnapshot[];
  };
  capacity: {
    minThreads: number;
    maxThreads: number;
    /** Threads only CRITICAL/HIGH work may use while NORMAL/LOW work fills the rest. */
    reservedInteractiveThreads: number;
    ioConcurrency: number;
    reservedInteractiveIo: number;
  };
  utilization: {
    /** Running CPU work over maxThreads, now. */
    cpuNow: number;
    /** Running I/O tasks over ioConcurrency, now. */
    ioNow: number;
    /** Busy time over alive time of the worker threads since start. */
    workerBusyRatio: number;
  };
  /** Worker threads, alive ones and recently gone ones. */
  workers: WorkerStats[];
  /** Time from submission to start, and from start to end, over the tasks finished in the last 5 to 10 minutes. */
  waitMs: DurationSummary;
  runMs: DurationSummary;
  /** Per-key locks held or awaited now, and distinct jobs being de-duplicated now. */
  locks: { keysHeld: number; jobsInFlight: number };
  history: { size: number; capacity: number };
  system: SystemHealth;
}

export interface StatsInputs {
  now: number;
  startedAt: number;
  accepting: boolean;
  counters: PoolCounters;
  scheduler: Scheduler;
  threads: Pick<Threads, 'minThreads' | 'maxThreads'>;
  workers: WorkerStatsTable;
  history: History;
  health: SystemHealth;
  locksHeld: number;
  inFlight: number;
}

/** Assembles the snapshot. */
export function buildStats(i: StatsInputs): PoolStats {
  const { counters: c, scheduler: s, now } = i;
  const finished = c.completed + c.failed + c.cancelled + c.timedOut;
  const { cpu, io } = s;
  // Work handed to piscina that has no thread yet is still QUEUED: count it with the queue.
  const waiting = cpu.waitingByRank();
  const cpuDepths = cpu.queue.depths().map((n, rank) => n + (waiting[rank] ?? 0));
  const ioDepths = io.queue.depths();
  const byPriority = Object.fromEntries(PRIORITY_NAMES.map((name, rank) => [name, (cpuDepths[rank] ?? 0) + (ioDepths[rank] ?? 0)])) as Record<PriorityName, number>;
  const cpuDepth = cpu.queue.size + waiting.reduce((sum, n) => sum + n, 0);
  const maxThreads = i.threads.maxThreads;
  return {
    takenAt: new Date().toISOString(),
    uptimeMs: Math.round(now - i.startedAt),
    accepting: i.accepting,
    totals: {
      submitted: c.submitted, completed: c.completed, failed: c.failed, cancelled: c.cancelled, timedOut: c.timedOut,
      successRate: finished === 0 ? 1 : Math.round((c.completed / finished) * 10_000) / 10_000,
      joinedDuplicates: c.joined, skippedDuplicates: c.skipped,
    },
    queue: {
      depth: cpuDepth + io.queue.size, byPriority, cpuDepth, ioDepth: io.queue.size,
      oldestWaitMs: Math.round(Math.max(cpu.queue.oldestWaitMs(now), io.queue.oldestWaitMs(now))),
    },
    running: { cpu: cpu.running, io: io.running, tasks: s.activeRecords(100).map((r) => r.snapshot()) },
    capacity: {
      minThreads: i.threads.minThreads, maxThreads, reservedInteractiveThreads: cpu.reserved,
      ioConcurrency: io.concurrency, reservedInteractiveIo: io.reserved,
    },
    utilization: {
      cpuNow: ratio(cpu.running, maxThreads), ioNow: ratio(io.running, io.concurrency),
      workerBusyRatio: Math.round(i.workers.busyRatio(now) * 1000) / 1000,
    },
    workers: i.workers.list(now),
    waitMs: s.waitTimes.summary(),
    runMs: s.runTimes.summary(),
    locks: { keysHeld: i.locksHeld, jobsInFlight: i.inFlight },
    history: { size: i.history.size, capacity: i.history.capacity },
    system: i.health,
  };
}

function ratio(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}
