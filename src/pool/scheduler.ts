import type { Logger } from '../logging/logger.js';
import type { InFlight, ReleaseLock } from '../locks/index.js';
import { ActiveList } from './active-list.js';
import type { History } from './history.js';
import type { PoolCounters } from './counters.js';
import { classifyWorkerFailure, PoolErrors, reviveError, TaskError } from './errors.js';
import { checkSizes, reservedSlots, type ResolvedPoolOptions } from './options.js';
import { PriorityQueue } from './priority-queue.js';
import { ProgressChannel } from './progress-channel.js';
import { isWorkerReply, type WorkerRequest } from './protocol.js';
import { SampleRing } from './samples.js';
import { StepItem } from './step-item.js';
import type { TaskRecord } from './task-record.js';
import { isoAt, summarizeResult } from './task-record.js';
import type { Threads } from './threads.js';
import { FIRST_BULK_RANK, PRIORITY_NAMES } from './types.js';
import type { CpuTaskTypes, FinalState, IoTaskContext, TaskKind, TaskProgress } from './types.js';
import type { WorkerStatsTable } from './worker-stats.js';

/** An I/O task (or chained job): runs on the main thread with a context. */
export type IoFunction<M extends CpuTaskTypes, T> = (ctx: IoTaskContext<M>) => Promise<T> | T;

type Transfer = readonly (ArrayBuffer | ArrayBufferView)[] | undefined;

export interface SchedulerDeps {
  threads: Threads<TaskRecord>;
  workers: WorkerStatsTable;
  history: History;
  counters: PoolCounters;
  log: Logger;
  options: ResolvedPoolOptions;
  inFlight: InFlight<TaskRecord>;
}

/**
 * The pool's state machine: queues, capacity (with the interactive reserve), starting CPU and I/O
 * work, and ending every task exactly once (`finalize`). Our queue feeds piscina only as many tasks as
 * there are free threads, so priorities, the reserve and queued cancellation stay ours, and a
 * timeout starts when the task does.
 */
export class Scheduler {
  readonly cpuQueue: PriorityQueue<TaskRecord | StepItem>;
  readonly ioQueue: PriorityQueue<TaskRecord>;
  readonly waitSamples: SampleRing;
  readonly runSamples: SampleRing;
  private readonly records = new ActiveList<TaskRecord>();
  private idleWaiters: (() => void)[] = [];
  cpuRunning = 0;
  cpuBulkRunning = 0;
  ioRunning = 0;
  ioBulkRunning = 0;
  ioConcurrency: number;
  interactiveShare: number;
  cpuReserved = 0;
  ioReserved = 0;
  /** Set by shutdown before it cancels: nothing more may start. */
  private halted = false;

  constructor(private readonly deps: SchedulerDeps) {
    const { options } = deps;
    this.cpuQueue = new PriorityQueue(options.agingMs);
    this.ioQueue = new PriorityQueue(options.agingMs);
    this.waitSamples = new SampleRing(options.historySize);
    this.runSamples = new SampleRing(options.historySize);
    this.ioConcurrency = options.ioConcurrency;
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

  get maxThreads(): number {
    return this.deps.threads.maxThreads;
  }

  get minThreads(): number {
    return this.deps.threads.minThreads;
  }

  get activeCount(): number {
    return this.records.size;
  }

  /** Queues a task, or starts it at once when nothing waits and a slot is free. `now`: the caller's clock reading, if it has one. */
  enqueue(record: TaskRecord, now?: number): void {
    this.records.add(record);
    record.inQueue = true;
    if (record.kind === 'cpu') {
      // Nothing waiting and a thread free: start at once. Most tasks meet an idle pool, and skipping
      // the push, the four-level take and a clock read shows in the per-task cost (profiled).
      if (this.cpuQueue.size === 0 && this.canStartCpu(record.rank)) return this.startCpu(record, now ?? performance.now());
      this.cpuQueue.push(record);
      if (this.cpuRunning < this.deps.threads.maxThreads) this.pumpCpu();
    } else {
      this.ioQueue.push(record);
      if (this.ioRunning < this.ioConcurrency) this.pumpIo();
    }
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
    const wasRunning = record.state === 'RUNNING';
    if (wasRunning) {
      // Stop the work before freeing its slot, so the thread is already being replaced when the next task is handed out.
      if (record.kind === 'cpu') record.workerId = this.terminateThreadsOf(record.id) ?? record.workerId;
      record.controller?.abort(error);
      if (record.liveSteps !== null && record.liveSteps.size > 0) {
        this.terminateThreadsOf(record.id);
        for (const item of record.liveSteps) this.endStep(item, state, undefined, error);
      }
    }
    this.finalize(record, state, undefined, error);
    return true;
  }

  /**
   * Piscina handed work of `record` (the task, or one of its CPU steps) to thread `threadId`. If the task
   * was stopped while piscina still held it (no thread was ready), stop that thread now: the work is unwanted.
   */
  assigned(record: TaskRecord, threadId: number): void {
    if (!record.settled) this.deps.workers.assigned(threadId, record.id);
    else queueMicrotask(() => this.deps.threads.terminate(threadId));
  }

  /** Terminates every thread running work of `taskId` (a task, or its CPU steps); returns one of them. */
  private terminateThreadsOf(taskId: number): number | null {
    let first: number | null = null;
    for (let thread = this.deps.workers.release(taskId, false); thread !== null; thread = this.deps.workers.release(taskId, false)) {
      this.deps.threads.terminate(thread);
      first ??= thread;
    }
    return first;
  }

  /** Starts nothing more (shutdown is about to cancel what is left). */
  halt(): void {
    this.halted = true;
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
      ioConcurrency: changes.ioConcurrency ?? this.ioConcurrency, interactiveShare: changes.interactiveShare ?? this.interactiveShare,
      ...(changes.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: changes.idleTimeoutMs }),
    };
    const problems = checkSizes(next);
    if (problems.length > 0) throw PoolErrors.badOption(`Cannot resize the task pool: ${problems.join('; ')}.`);
    if (changes.minThreads !== undefined || changes.maxThreads !== undefined || changes.idleTimeoutMs !== undefined) {
      threads.resize({ minThreads: next.minThreads, maxThreads: next.maxThreads, ...(changes.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: changes.idleTimeoutMs }) });
    }
    this.ioConcurrency = next.ioConcurrency;
    this.interactiveShare = next.interactiveShare;
    this.computeReserve();
    this.pumpCpu();
    this.pumpIo();
  }

  private computeReserve(): void {
    this.cpuReserved = reservedSlots(this.deps.threads.maxThreads, this.interactiveShare);
    this.ioReserved = reservedSlots(this.ioConcurrency, this.interactiveShare);
  }

  private pumpCpu(): void {
    const cap = this.deps.threads.maxThreads;
    if (this.cpuRunning >= cap || this.cpuQueue.size === 0 || this.halted) return;
    const now = performance.now();
    const bulkCap = cap - this.cpuReserved;
    while (this.cpuRunning < cap) {
      const item = this.cpuQueue.take(now, this.cpuBulkRunning < bulkCap);
      if (item === undefined) return;
      if (item instanceof StepItem) this.startStep(item, now);
      else this.startCpu(item, now);
    }
  }

  /** Whether a CPU task of `rank` may start now: a free thread, and room in the bulk share unless it is interactive. */
  private canStartCpu(rank: number): boolean {
    const cap = this.deps.threads.maxThreads;
    if (this.cpuRunning >= cap || this.halted) return false;
    return rank < FIRST_BULK_RANK || this.cpuBulkRunning < cap - this.cpuReserved;
  }

  private pumpIo(): void {
    if (this.ioRunning >= this.ioConcurrency || this.ioQueue.size === 0 || this.halted) return;
    const now = performance.now();
    const bulkCap = this.ioConcurrency - this.ioReserved;
    while (this.ioRunning < this.ioConcurrency) {
      const record = this.ioQueue.take(now, this.ioBulkRunning < bulkCap);
      if (record === undefined) return;
      this.startIo(record, now);
    }
  }

  private occupy(kind: TaskKind, rank: number): void {
    if (kind === 'cpu') {
      this.cpuRunning += 1;
      if (rank >= FIRST_BULK_RANK) this.cpuBulkRunning += 1;
    } else {
      this.ioRunning += 1;
      if (rank >= FIRST_BULK_RANK) this.ioBulkRunning += 1;
    }
  }

  private vacate(kind: TaskKind, rank: number): void {
    if (kind === 'cpu') {
      this.cpuRunning -= 1;
      if (rank >= FIRST_BULK_RANK) this.cpuBulkRunning -= 1;
      this.pumpCpu();
    } else {
      this.ioRunning -= 1;
      if (rank >= FIRST_BULK_RANK) this.ioBulkRunning -= 1;
      this.pumpIo();
    }
  }

  private begin(record: TaskRecord, now: number): void {
    record.inQueue = false;
    record.state = 'RUNNING';
    record.startedAt = now;
    this.occupy(record.kind, record.rank);
    if (record.timeoutMs > 0) record.timer = setTimeout(expire, record.timeoutMs, this, record);
  }

  private startCpu(record: TaskRecord, now: number): void {
    this.begin(record, now);
    const request: WorkerRequest = { task: record.task, input: record.input };
    let transfer: readonly unknown[] | undefined = record.transfer;
    if (record.onProgress !== null) {
      const channel = new ProgressChannel((progress) => this.deliverProgress(record, progress));
      record.channel = channel;
      request.progressPort = channel.workerPort;
      transfer = [...(transfer ?? []), channel.workerPort];
    }
    record.input = undefined;
    this.deps.threads.run(request, record, transfer).then(
      (reply) => this.cpuReplied(record, reply),
      (error: unknown) => this.cpuFailed(record, error),
    );
  }

  private cpuReplied(record: TaskRecord, reply: unknown): void {
    if (record.settled) return;
    if (!isWorkerReply(reply)) {
      record.workerId = this.deps.workers.release(record.id, true);
      this.finalize(record, 'FAILED', undefined, PoolErrors.malformedResult('it is not a worker reply (was the worker entry built with createDispatcher?)'));
      return;
    }
    record.workerId = reply.threadId;
    const now = performance.now();
    this.deps.workers.finished(reply.threadId, record.id, reply.ok, now - record.startedAt);
    if (!reply.ok) return this.finalize(record, 'FAILED', undefined, reviveError(reply.error), now);
    const channel = record.channel;
    if (channel === null) return this.finalize(record, 'COMPLETED', reply.value, null, now);
    void channel.whenEnded().then(() => {
      if (!record.settled) this.finalize(record, 'COMPLETED', reply.value, null);
    });
  }

  private cpuFailed(record: TaskRecord, error: unknown): void {
    if (record.settled) return;
    record.workerId = this.deps.workers.release(record.id, true);
    this.finalize(record, 'FAILED', undefined, classifyWorkerFailure(error, this.deps.threads.memoryLimitMb));
  }

  private startIo(record: TaskRecord, now: number): void {
    this.begin(record, now);
    const controller = new AbortController();
    record.controller = controller;
    const fn = record.fn as (ctx: IoTaskContext<CpuTaskTypes>) => unknown;
    record.fn = null;
    let outcome: unknown;
    try {
      outcome = fn(new IoContext(this, record, controller.signal));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    record.ioRunning = Promise.resolve(outcome).then(
      (value) => { record.ioRunning = null; if (!record.settled) this.finalize(record, 'COMPLETED', value, null); },
      (error: unknown) => { record.ioRunning = null; if (!record.settled) this.finalize(record, 'FAILED', undefined, asTaskError(error)); },
    );
  }

  /** Queues one CPU step of a running I/O task; it runs at the task's priority. */
  runStep(record: TaskRecord, task: string, input: unknown, transfer: Transfer): Promise<unknown> {
    if (record.settled) return Promise.reject(record.error ?? PoolErrors.cancelled('the task has ended'));
    return new Promise((resolve, reject) => {
      const item = new StepItem(record, task, input, transfer, performance.now(), resolve, reject);
      (record.steps ??= []).push(item.step);
      (record.liveSteps ??= new Set()).add(item);
      this.cpuQueue.push(item);
      this.pumpCpu();
    });
  }

  private startStep(item: StepItem, now: number): void {
    item.step.state = 'RUNNING';
    item.step.startedAt = now;
    this.occupy('cpu', item.rank);
    const request: WorkerRequest = { task: item.task, input: item.input };
    item.input = undefined;
    this.deps.threads.run(request, item.record, item.transfer).then(
      (reply) => {
        if (item.settled) return;
        if (!isWorkerReply(reply)) return this.endStep(item, 'FAILED', undefined, PoolErrors.malformedResult('it is not a worker reply'));
        item.step.workerId = reply.threadId;
        this.deps.workers.finished(reply.threadId, item.record.id, reply.ok, performance.now() - now);
        if (reply.ok) this.endStep(item, 'COMPLETED', reply.value, null);
        else this.endStep(item, 'FAILED', undefined, reviveError(reply.error));
      },
      (error: unknown) => {
        if (item.settled) return;
        item.step.workerId = this.deps.workers.release(item.record.id, true);
        this.endStep(item, 'FAILED', undefined, classifyWorkerFailure(error, this.deps.threads.memoryLimitMb));
      },
    );
  }

  private endStep(item: StepItem, state: FinalState, value: unknown, error: TaskError | null): void {
    if (item.settled) return;
    item.settled = true;
    item.step.state = state;
    item.step.endedAt = performance.now();
    item.record.liveSteps?.delete(item);
    if (item.step.startedAt === 0) this.cpuQueue.forget(item);
    else this.vacate('cpu', item.rank);
    if (error === null) item.resolve(value);
    else item.reject(error);
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
    history.add(record);
    counters.finished(state);
    if (record.startedAt !== 0) {
      this.waitSamples.add(record.startedAt - record.submittedAt);
      this.runSamples.add(now - record.startedAt);
    }
    if (record.dedupeKey !== null) inFlight.finish(record.dedupeKey, record);
    const release = record.releaseLock;
    record.releaseLock = null;
    // A timed-out or cancelled I/O task whose function still runs keeps its key locked until that
    // function returns, so the next job for the same game server cannot overlap what it still does.
    if (release !== null) {
      if (record.ioRunning !== null) void record.ioRunning.then(release);
      else release();
    }
    if (error === null) record.resultSummary = summarizeResult(value);
    else record.error = error;
    this.logEnd(record);
    if (error === null) record.resolve(value);
    else record.reject(error);
    // History keeps the record for 10,000 tasks: it must not keep the result alive through the promise.
    record.forgetOutcome();
    if (wasQueued) (record.kind === 'cpu' ? this.cpuQueue : this.ioQueue).forget(record);
    else if (record.startedAt !== 0) this.vacate(record.kind, record.rank);
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

/** The context an I/O task sees. */
class IoContext implements IoTaskContext<CpuTaskTypes> {
  readonly id: number;
  constructor(private readonly scheduler: Scheduler, private readonly record: TaskRecord, readonly signal: AbortSignal) {
    this.id = record.id;
  }

  progress(progress: TaskProgress): void {
    this.scheduler.deliverProgress(this.record, progress);
  }

  cpu(task: string, input: unknown, options?: { transfer?: Transfer }): Promise<never> {
    return this.scheduler.runStep(this.record, task, input, options?.transfer) as Promise<never>;
  }
}

function expire(scheduler: Scheduler, record: TaskRecord): void {
  record.timer = null;
  scheduler.stop(record, 'TIMED_OUT', PoolErrors.timedOut(record.timeoutMs));
}

/** Errors from I/O tasks keep their message and kind (an own `kind` field, else the error's name). */
function asTaskError(error: unknown): TaskError {
  if (error instanceof TaskError) return error;
  if (error instanceof Error) {
    const own = (error as { kind?: unknown }).kind;
    return new TaskError(typeof own === 'string' && own !== '' ? own : error.name, error.message, { cause: error });
  }
  return new TaskError('non-error-thrown', String(error));
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}
