import type { Logger } from '../logging/logger.js';
import type { ReleaseLock } from '../locks/index.js';
import { ActiveList } from './active-list.js';
import { CpuLane, type CpuWork } from './cpu-lane.js';
import type { History } from './history.js';
import type { PoolCounters } from './counters.js';
import { PoolErrors, type TaskError } from './errors.js';
import { IoLane } from './io-lane.js';
import { checkSizes, reservedSlots, type ResolvedPoolOptions } from './options.js';
import { DurationHistogram } from './samples.js';
import type { TaskRecord } from './task-record.js';
import { isoAt, summarizeResult } from './task-record.js';
import type { Threads } from './threads.js';
import { PRIORITY_NAMES } from './types.js';
import type { FinalState, FinishedTask, TaskProgress } from './types.js';
import type { WorkerStatsTable } from './worker-stats.js';

export type { IoFunction } from './io-lane.js';

export interface SchedulerDeps {
  threads: Threads<CpuWork>;
  workers: WorkerStatsTable;
  history: History;
  counters: PoolCounters;
  log: Logger;
  options: ResolvedPoolOptions;
  /** De-duplicated tasks by label and key while queued or running. */
  inFlight: Map<string, TaskRecord>;
}

/**
 * The pool's state machine: every queued and running task, the two lanes that start them (worker
 * threads, main-thread I/O), and ending every task exactly once (`finalize`).
 */
export class Scheduler {
  readonly cpu: CpuLane;
  readonly io: IoLane;
  readonly waitTimes = new DurationHistogram();
  readonly runTimes = new DurationHistogram();
  interactiveShare: number;
  /** Told of every task as it ends (metrics); empty unless someone listens. */
  readonly finishedListeners = new Set<(task: FinishedTask) => void>();
  private readonly records = new ActiveList<TaskRecord>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: SchedulerDeps) {
    const { options } = deps;
    const hooks = {
      started: (record: TaskRecord, now: number) => this.started(record, now),
      finish: (record: TaskRecord, state: FinalState, value: unknown, error: TaskError | null, now?: number) => this.finalize(record, state, value, error, now),
      progress: (record: TaskRecord, progress: TaskProgress) => this.deliverProgress(record, progress),
    };
    this.cpu = new CpuLane({ threads: deps.threads, workers: deps.workers, agingMs: options.agingMs, hooks });
    this.io = new IoLane(options.ioConcurrency, options.agingMs, {
      ...hooks, step: (record, task, input, transfer) => this.cpu.runStep(record, task, input, transfer),
    });
    this.interactiveShare = options.interactiveShare;
    this.computeReserve();
  }

  active(id: number): TaskRecord | undefined {
    return this.records.find(id);
  }

  /** Queued and running tasks, oldest first; at most `limit`. */
  activeRecords(limit?: number): TaskRecord[] {
    return this.records.toArray(limit);
  }

  get activeCount(): number {
    return this.records.size;
  }

  /** Queues a task (a CPU task meeting a free thread starts at once). `now`: the caller's clock reading, if it has one. */
  enqueue(record: TaskRecord, now?: number): void {
    this.records.add(record);
    if (record.kind === 'cpu') this.cpu.enqueue(record, now ?? performance.now());
    else this.io.enqueue(record);
  }

  /** Keeps the task QUEUED until its per-key lock is free, then queues it normally. */
  enqueueAfterLock(record: TaskRecord, lock: Promise<ReleaseLock>): void {
    this.records.add(record);
    record.waitingForLock = true;
    void lock.then((release) => {
      if (record.settled) return release();
      record.waitingForLock = false;
      record.releaseLock = release;
      this.records.remove(record);
      this.enqueue(record);
    });
  }

  /** Ends a task that was never queued (the pool is closing). */
  refuse(record: TaskRecord, error: TaskError): void {
    this.finalize(record, 'CANCELLED', undefined, error);
  }

  /** Cancels or times out a queued or running task. False when it had already ended. */
  stop(record: TaskRecord, state: FinalState, error: TaskError): boolean {
    if (record.settled) return false;
    // Stop the work before freeing its slot, so a stopped thread is already being replaced when the next task is handed out.
    if (record.kind === 'cpu') this.cpu.abort(record);
    else record.controller?.abort(error);
    for (const item of record.liveSteps ?? []) {
      this.cpu.abort(item);
      this.cpu.endStep(item, state, undefined, error);
    }
    this.finalize(record, state, undefined, error);
    return true;
  }

  /** Starts nothing more (shutdown is about to cancel what is left). */
  halt(): void {
    this.cpu.halted = true;
    this.io.halted = true;
  }

  /** Resolves when no task is queued or running. */
  whenIdle(): Promise<void> {
    if (this.records.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  resize(changes: { minThreads?: number; maxThreads?: number; idleTimeoutMs?: number; ioConcurrency?: number; interactiveShare?: number }): void {
    const { threads } = this.deps;
    const next = {
      minThreads: changes.minThreads ?? threads.minThreads, maxThreads: changes.maxThreads ?? threads.maxThreads,
      ioConcurrency: changes.ioConcurrency ?? this.io.concurrency, interactiveShare: changes.interactiveShare ?? this.interactiveShare,
      ...(changes.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: changes.idleTimeoutMs }),
    };
    const problems = checkSizes(next);
    if (problems.length > 0) throw PoolErrors.badOption(`Cannot resize the task pool: ${problems.join('; ')}.`);
    if (changes.minThreads !== undefined || changes.maxThreads !== undefined || changes.idleTimeoutMs !== undefined) {
      this.cpu.resize({ minThreads: next.minThreads, maxThreads: next.maxThreads, ...(changes.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: changes.idleTimeoutMs }) });
    }
    this.io.concurrency = next.ioConcurrency;
    this.interactiveShare = next.interactiveShare;
    this.computeReserve();
    this.cpu.pump();
    this.io.pump();
  }

  deliverProgress(record: TaskRecord, progress: TaskProgress): void {
    if (record.settled) return;
    record.progress = progress;
    try {
      record.onProgress?.(progress);
    } catch (error) {
      this.deps.log.warn({ err: error, taskId: record.id }, 'progress listener threw; the task goes on');
    }
  }

  private computeReserve(): void {
    this.cpu.interactiveShare = this.interactiveShare;
    this.io.reserved = reservedSlots(this.io.concurrency, this.interactiveShare);
  }

  /** A task got its thread or slot: RUNNING from now, and its run-time limit starts now, not at submission. */
  private started(record: TaskRecord, now: number): void {
    record.state = 'RUNNING';
    record.startedAt = now;
    if (record.timeoutMs > 0) record.timer = setTimeout(expire, record.timeoutMs, this, record);
  }

  /** Ends a task exactly once: counters, history, lock, dedupe entry, log line, then the caller's promise. */
  private finalize(record: TaskRecord, state: FinalState, value: unknown, error: TaskError | null, now = performance.now()): void {
    record.settled = true;
    record.state = state;
    record.endedAt = now;
    if (record.timer !== null) clearTimeout(record.timer);
    record.timer = null;
    const wasQueued = record.inQueue;
    record.inQueue = false;
    if (record.channel !== null && error !== null) record.channel.close();
    record.channel = null;
    record.input = undefined;
    record.fn = null;
    record.transfer = undefined;
    this.records.remove(record);
    const { history, counters, inFlight } = this.deps;
    counters.finished(state);
    const started = record.startedAt !== 0;
    const waitMs = started ? record.startedAt - record.submittedAt : null;
    const runMs = started ? now - record.startedAt : null;
    if (waitMs !== null && runMs !== null) {
      this.waitTimes.add(waitMs);
      this.runTimes.add(runMs);
    }
    if (this.finishedListeners.size > 0) {
      const task: FinishedTask = { kind: record.kind, priority: PRIORITY_NAMES[record.rank] ?? 'NORMAL', state, waitMs, runMs };
      for (const listener of this.finishedListeners) {
        // A listener's bug must not leave the task half-ended.
        try { listener(task); } catch (error) { this.deps.log.error({ err: error }, 'a task-finished listener failed'); }
      }
    }
    if (record.dedupeKey !== null && inFlight.get(record.dedupeKey) === record) inFlight.delete(record.dedupeKey);
    const release = record.releaseLock;
    record.releaseLock = null;
    // A timed-out or cancelled I/O task whose function still runs keeps its key locked until that
    // function returns, so the next job with the same key cannot overlap what it still does.
    if (release !== null) {
      if (record.ioRunning !== null) void record.ioRunning.then(release);
      else release();
    }
    if (error === null) record.resultSummary = summarizeResult(value);
    else record.error = error;
    history.add(record);
    this.logEnd(record);
    if (error === null) record.resolve(value);
    else record.reject(error);
    // A joined duplicate or a late lookup may still hold the record: it must not keep the result alive.
    record.forgetOutcome();
    if (record.kind === 'cpu') this.cpu.release(record, wasQueued);
    else this.io.release(record, wasQueued);
    if (this.records.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private logEnd(record: TaskRecord): void {
    const { log, options } = this.deps;
    const runMs = record.runMs;
    const slow = runMs !== null && runMs > options.slowTaskMs;
    if (!slow && !log.isLevelEnabled('debug')) return;
    const fields = {
      taskId: record.id, kind: record.kind, task: record.task, label: record.label, key: record.key,
      priority: PRIORITY_NAMES[record.rank], state: record.state,
      startedAt: record.startedAt === 0 ? null : isoAt(record.startedAt), endedAt: isoAt(record.endedAt),
      waitMs: round(record.waitMs), runMs: round(runMs), workerId: record.workerId,
      ...(record.error === null ? {} : { errorKind: record.error.kind, error: record.error.message }),
    };
    if (slow) log.warn({ ...fields, slowTaskMs: options.slowTaskMs }, 'slow task finished');
    else log.debug(fields, 'task finished');
  }
}

function expire(scheduler: Scheduler, record: TaskRecord): void {
  record.timer = null;
  scheduler.stop(record, 'TIMED_OUT', PoolErrors.timedOut(record.timeoutMs));
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}
