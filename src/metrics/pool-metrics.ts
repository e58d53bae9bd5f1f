import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { FinishedTask, PoolStats, PriorityName } from '../pool/index.js';
import { PRIORITY_NAMES } from '../pool/index.js';
import { ScrapeSnapshot } from './scrape-snapshot.js';

/** The slice of the task pool its metrics read. */
export interface PoolMetricsSource {
  stats(): PoolStats;
  onTaskFinished(listener: (task: FinishedTask) => void): () => void;
}

/** Seconds: a parse of a few rows takes milliseconds, a history run many minutes. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/**
 * The task pool in Prometheus terms: finished tasks by state and priority, queue depth, running work,
 * wait and run time histograms, worker utilisation. Labels are closed sets (4 priorities, 4 final
 * states, 2 lanes). Returns the unsubscribe from the pool; `snapshots` gets the one to refresh per scrape.
 */
export function registerPoolMetrics(registry: Registry, pool: PoolMetricsSource, snapshots: ScrapeSnapshot<unknown>[]): () => void {
  const registers = [registry];
  const stats = new ScrapeSnapshot(() => pool.stats());
  snapshots.push(stats);
  const snapshot = (): PoolStats => stats.get();
  const finished = new Counter({ name: 'killfeed_pool_tasks_total', help: 'Tasks that ended, by final state and priority.', labelNames: ['state', 'priority'] as const, registers });
  const wait = new Histogram({ name: 'killfeed_pool_task_wait_seconds', help: 'Time from submission to start of tasks that started, by priority.', labelNames: ['priority'] as const, buckets: DURATION_BUCKETS, registers });
  const run = new Histogram({ name: 'killfeed_pool_task_run_seconds', help: 'Time from start to end of tasks, by priority.', labelNames: ['priority'] as const, buckets: DURATION_BUCKETS, registers });
  // Every series exists from the first scrape, so rate() has a zero to start from.
  for (const priority of PRIORITY_NAMES) {
    for (const state of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']) finished.inc({ state, priority }, 0);
    wait.zero({ priority });
    run.zero({ priority });
  }
  new Gauge({
    name: 'killfeed_pool_queue_depth', help: 'Tasks (and CPU steps of I/O tasks) waiting to start, by priority.', labelNames: ['priority'] as const, registers,
    collect() {
      const { byPriority } = snapshot().queue;
      for (const priority of PRIORITY_NAMES) this.set({ priority }, byPriority[priority as PriorityName]);
    },
  });
  new Gauge({
    name: 'killfeed_pool_running_tasks', help: 'Work running now: CPU slots in worker threads and I/O tasks on the main thread.', labelNames: ['lane'] as const, registers,
    collect() {
      const { running } = snapshot();
      this.set({ lane: 'cpu' }, running.cpu);
      this.set({ lane: 'io' }, running.io);
    },
  });
  new Gauge({ name: 'killfeed_pool_oldest_queued_wait_seconds', help: 'How long the oldest queued task has waited.', registers, collect() { this.set(snapshot().queue.oldestWaitMs / 1000); } });
  new Gauge({ name: 'killfeed_pool_worker_threads', help: 'Worker threads alive.', registers, collect() { this.set(snapshot().workers.filter((w) => w.alive).length); } });
  new Gauge({ name: 'killfeed_pool_worker_busy_ratio', help: 'Busy time over alive time of the worker threads since start (0 to 1).', registers, collect() { this.set(snapshot().utilization.workerBusyRatio); } });
  new Gauge({ name: 'killfeed_pool_cpu_slots_in_use_ratio', help: 'Running CPU work over the most worker threads, now (0 to 1).', registers, collect() { this.set(snapshot().utilization.cpuNow); } });
  return pool.onTaskFinished((task) => {
    finished.inc({ state: task.state, priority: task.priority });
    if (task.waitMs !== null) wait.observe({ priority: task.priority }, task.waitMs / 1000);
    if (task.runMs !== null) run.observe({ priority: task.priority }, task.runMs / 1000);
  });
}
