import type { Logger } from '../logging/logger.js';
import { PoolErrors } from './errors.js';
import type { Scheduler } from './scheduler.js';
import type { Threads } from './threads.js';
import type { TaskState } from './types.js';

/** What a shutdown did. */
export interface ShutdownReport {
  /** True when every queued and running task ended on its own before the deadline. */
  drained: boolean;
  /** True when `forceShutdown` cut the wait short. */
  forced: boolean;
  /** Tasks ended by the shutdown, with the state they were in when it cancelled them. */
  cancelled: { id: number; label: string; key: string | null; was: TaskState }[];
  durationMs: number;
}

export interface DrainInputs {
  scheduler: Scheduler;
  threads: Pick<Threads, 'destroy'>;
  log: Logger;
  deadlineMs: number;
  /** Resolves when a second signal asks to stop now. */
  forced: Promise<void>;
}

/** Waits for the pool to empty, up to the deadline or a force, then cancels the rest and stops the threads. */
export async function drainThenStop(i: DrainInputs): Promise<ShutdownReport> {
  const started = performance.now();
  const active = i.scheduler.activeCount;
  i.log.info({ activeTasks: active, deadlineMs: i.deadlineMs }, 'pool shutting down: draining');
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    i.scheduler.whenIdle().then(() => 'drained' as const),
    new Promise<'deadline'>((resolve) => { timer = setTimeout(resolve, i.deadlineMs, 'deadline'); }),
    i.forced.then(() => 'forced' as const),
  ]);
  clearTimeout(timer);
  i.scheduler.halt();
  const cancelled: ShutdownReport['cancelled'] = [];
  for (const record of i.scheduler.activeRecords()) {
    const was = record.state;
    const reason = outcome === 'forced' ? 'the pool was forced to stop' : `the pool shut down and the ${i.deadlineMs} ms drain deadline passed`;
    if (i.scheduler.stop(record, 'CANCELLED', PoolErrors.cancelled(reason))) cancelled.push({ id: record.id, label: record.label, key: record.key, was });
  }
  await i.threads.destroy();
  const report: ShutdownReport = { drained: outcome === 'drained', forced: outcome === 'forced', cancelled, durationMs: Math.round(performance.now() - started) };
  const level = cancelled.length > 0 ? 'warn' : 'info';
  i.log[level]({ drained: report.drained, forced: report.forced, cancelledCount: cancelled.length, cancelledIds: cancelled.slice(0, 50).map((c) => c.id), durationMs: report.durationMs }, 'pool stopped');
  return report;
}
