import type { Logger } from '../logging/logger.js';
import { createKeyedLocks } from '../locks/index.js';
import { PoolErrors, TaskError } from './errors.js';
import { EventLoopMonitor } from './event-loop.js';
import { History } from './history.js';
import { resolvePoolOptions, type PoolOptions, type ResolvedPoolOptions } from './options.js';
import { PoolCounters } from './counters.js';
import type { CpuWork } from './cpu-lane.js';
import { Scheduler, type IoFunction } from './scheduler.js';
import { buildStats, type PoolStats } from './stats.js';
import { drainThenStop, type ShutdownReport } from './shutdown.js';
import { SystemHealthReader } from './system-health.js';
import { TaskRecord } from './task-record.js';
import { Threads } from './threads.js';
import { PRIORITY_RANK } from './types.js';
import type { CpuTaskOptions, CpuTaskTypes, Disposition, FinishedTask, HistoryQuery, TaskHandle, TaskKind, TaskOptions, TaskSnapshot } from './types.js';
import { WorkerStatsTable } from './worker-stats.js';

const noop = (): void => undefined;

interface Taken {
  id: number;
  promise: Promise<unknown>;
  disposition: Disposition;
}

/** What may change at run time. */
export interface ResizeOptions {
  minThreads?: number;
  maxThreads?: number;
  idleTimeoutMs?: number;
  ioConcurrency?: number;
  interactiveShare?: number;
}

/**
 * The background task pool: CPU tasks in worker threads, I/O tasks as async functions on the main
 * thread, both through one priority queue with reserved interactive capacity, per-key exclusion and
 * de-duplication, timeouts from start, cancellation, history and metrics.
 * `M` types the worker entry's task table, which the composition root hands in with the worker file
 * (`pool.run('<task name>', input)`).
 */
export class TaskPool<M extends CpuTaskTypes> {
  private readonly options: ResolvedPoolOptions;
  private readonly log: Logger;
  private readonly scheduler: Scheduler;
  private readonly counters = new PoolCounters();
  private readonly history: History;
  private readonly threads: Threads<CpuWork>;
  private readonly workers = new WorkerStatsTable();
  private readonly eventLoop = new EventLoopMonitor();
  private readonly health: SystemHealthReader;
  private readonly locks = createKeyedLocks();
  /** Tasks submitted with `dedupe`, by label and key, while queued or running. */
  private readonly inFlight = new Map<string, TaskRecord>();
  private readonly startedAt = performance.now();
  private nextId = 1;
  private accepting = true;
  private shutdownRun: { promise: Promise<ShutdownReport>; force: () => void } | null = null;

  constructor(options: PoolOptions, logger: Logger) {
    this.options = resolvePoolOptions(options);
    this.log = logger.child({ module: 'pool' });
    this.history = new History(this.options.historySize);
    this.threads = new Threads({
      workerFile: this.options.workerFile,
      minThreads: this.options.minThreads,
      maxThreads: this.options.maxThreads,
      idleTimeoutMs: this.options.idleTimeoutMs,
      maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb,
      niceIncrement: this.options.workerNice,
    }, this.workers, {
      assigned: (work, threadId) => this.scheduler.cpu.assigned(work, threadId),
      threadReady: () => this.scheduler.cpu.pump(),
      error: (error) => this.log.error({ err: error }, 'worker thread error outside any task'),
    });
    this.health = new SystemHealthReader(this.eventLoop);
    this.scheduler = new Scheduler({
      threads: this.threads, workers: this.workers, history: this.history, counters: this.counters,
      log: this.log, options: this.options, inFlight: this.inFlight,
    });
  }

  /** Runs a worker task and resolves with its output; rejects with a {@link TaskError}. */
  run<N extends keyof M & string>(task: N, input: M[N]['input'], options: CpuTaskOptions = {}): Promise<M[N]['output']> {
    return this.take('cpu', task, options, input, undefined).promise as Promise<M[N]['output']>;
  }

  /** Like {@link run} but returns at once with the task's id (fire and forget, look it up later). */
  submit<N extends keyof M & string>(task: N, input: M[N]['input'], options: CpuTaskOptions = {}): TaskHandle<M[N]['output']> {
    return this.handle(this.take('cpu', task, options, input, undefined));
  }

  /** Runs an async function on the main thread under the pool's queue, limits and records. */
  runIo<T>(fn: IoFunction<M, T>, options: TaskOptions = {}): Promise<T> {
    return this.take('io', options.label ?? 'io', options, undefined, fn as IoFunction<M, unknown>).promise as Promise<T>;
  }

  /** Like {@link runIo} but returns at once with the task's id. */
  submitIo<T>(fn: IoFunction<M, T>, options: TaskOptions = {}): TaskHandle<T> {
    return this.handle(this.take('io', options.label ?? 'io', options, undefined, fn as IoFunction<M, unknown>));
  }

  /** A queued, running or remembered task, or undefined when unknown (or cleared from history). */
  get(id: number): TaskSnapshot | undefined {
    return this.scheduler.active(id)?.snapshot() ?? this.history.get(id);
  }

  /** Queued and running tasks, oldest first. */
  activeTasks(): TaskSnapshot[] {
    return this.scheduler.activeRecords().map((r) => r.snapshot());
  }

  /** Cancels a queued task (it never runs) or a running one. False when it is not queued or running. */
  cancel(id: number, reason = 'cancelled by request'): boolean {
    const record = this.scheduler.active(id);
    return record === undefined ? false : this.scheduler.stop(record, 'CANCELLED', PoolErrors.cancelled(reason));
  }

  /** Finished tasks, newest first, filtered by state, key and label. */
  historyOf(query: HistoryQuery = {}): TaskSnapshot[] {
    return this.history.query(query);
  }

  /** Forgets the finished tasks kept in history (queued and running ones stay); returns how many. */
  clearFinished(): number {
    const cleared = this.history.clear();
    this.log.info({ cleared }, 'finished tasks cleared from history');
    return cleared;
  }

  /** Calls `listener` as each task ends, after its figures are counted (for metrics); returns the unsubscribe. */
  onTaskFinished(listener: (task: FinishedTask) => void): () => void {
    this.scheduler.finishedListeners.add(listener);
    return () => this.scheduler.finishedListeners.delete(listener);
  }

  /** Changes sizes at run time. Threads: a new piscina instance takes new work; the old one finishes its own. */
  resize(changes: ResizeOptions): void {
    this.scheduler.resize(changes);
    this.log.info({ ...changes }, 'pool resized');
  }

  /** One plain-JSON snapshot of everything an operator wants to see (see {@link PoolStats}). */
  stats(): PoolStats {
    return buildStats({
      now: performance.now(), startedAt: this.startedAt, accepting: this.accepting, counters: this.counters,
      scheduler: this.scheduler, threads: this.threads, workers: this.workers, history: this.history,
      health: this.health.read(this.threads.threadCount), locksHeld: this.locks.size, inFlight: this.inFlight.size,
    });
  }

  /**
   * Stops taking tasks, lets queued and running ones finish for up to `deadlineMs`, then cancels the
   * rest and stops the threads. Calling it again returns the same report.
   */
  shutdown(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    if (this.shutdownRun !== null) return this.shutdownRun.promise;
    this.accepting = false;
    let force = noop;
    const forced = new Promise<void>((resolve) => { force = resolve; });
    const promise = drainThenStop({
      scheduler: this.scheduler, threads: this.threads, log: this.log, deadlineMs: options.deadlineMs ?? 10_000, forced,
    }).finally(() => this.eventLoop.stop());
    this.shutdownRun = { promise, force };
    return promise;
  }

  /** Ends a shutdown now (the second Ctrl-C): cancels whatever still runs. Starts one if none is under way. */
  forceShutdown(): Promise<ShutdownReport> {
    const run = this.shutdownRun ?? (this.shutdown({ deadlineMs: 0 }), this.shutdownRun);
    run?.force();
    return (run as { promise: Promise<ShutdownReport> }).promise;
  }

  /** Creates (or joins) a task. The promise is returned separately: a task refused at once has already dropped it from its record. */
  private take(kind: TaskKind, task: string, options: TaskOptions & CpuTaskOptions, input: unknown, fn: IoFunction<M, unknown> | undefined): Taken {
    const rank = options.priority === undefined ? 2 : PRIORITY_RANK[options.priority];
    if (rank === undefined) throw PoolErrors.badOption(`Unknown priority "${String(options.priority)}": use CRITICAL, HIGH, NORMAL or LOW.`);
    const label = options.label ?? task;
    const key = options.key ?? null;
    if (options.dedupe !== undefined && key !== null) {
      const existing = this.inFlight.get(`${label}|${key}`);
      if (existing !== undefined) return { id: existing.id, promise: existing.promise, disposition: this.counters.duplicate(options.dedupe) };
    }
    const record = new TaskRecord(this.nextId++, kind, task, label, key, rank, options.meta ?? null,
      options.timeoutMs ?? this.options.defaultTimeoutMs, performance.now());
    const promise = new Promise<unknown>((resolve, reject) => { record.resolve = resolve; record.reject = reject; });
    record.promise = promise;
    this.counters.submitted += 1;
    if (!this.accepting) {
      this.scheduler.refuse(record, PoolErrors.poolClosed());
      return { id: record.id, promise, disposition: 'started' };
    }
    record.input = input;
    record.fn = fn ?? null;
    record.transfer = options.transfer;
    record.onProgress = options.onProgress ?? null;
    if (options.dedupe !== undefined && key !== null) {
      record.dedupeKey = `${label}|${key}`;
      this.inFlight.set(record.dedupeKey, record);
    }
    if (options.exclusive === true && key !== null) this.scheduler.enqueueAfterLock(record, this.locks.acquire(key));
    else this.scheduler.enqueue(record, record.submittedAt);
    return { id: record.id, promise, disposition: 'started' };
  }

  private handle<T>(taken: Taken): TaskHandle<T> {
    const result = taken.promise as Promise<T>;
    // Fire-and-forget callers may never look at the result: a failure must not become an unhandled rejection.
    result.catch(noop);
    return { id: taken.id, disposition: taken.disposition, result };
  }
}

/**
 * Builds a pool on the worker entry `options.workerFile` (threads start at once, up to `minThreads`).
 * `M` is that entry's task table type: the pool has none of its own.
 */
export function createTaskPool<M extends CpuTaskTypes>(options: PoolOptions, logger: Logger): TaskPool<M> {
  return new TaskPool<M>(options, logger);
}

export { TaskError };
