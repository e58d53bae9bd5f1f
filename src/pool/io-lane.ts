import { TaskError } from './errors.js';
import { PriorityQueue } from './priority-queue.js';
import type { TaskRecord } from './task-record.js';
import { FIRST_BULK_RANK } from './types.js';
import type { CpuTaskTypes, FinalState, IoTaskContext, TaskProgress } from './types.js';

/** An I/O task (or chained job): runs on the main thread with a context. */
export type IoFunction<M extends CpuTaskTypes, T> = (ctx: IoTaskContext<M>) => Promise<T> | T;

type Transfer = readonly (ArrayBuffer | ArrayBufferView)[] | undefined;

/** What the I/O lane asks of the scheduler and of the CPU lane. */
export interface IoLaneHooks {
  started(record: TaskRecord, now: number): void;
  finish(record: TaskRecord, state: FinalState, value: unknown, error: TaskError | null): void;
  progress(record: TaskRecord, progress: TaskProgress): void;
  /** Runs a CPU step of a running I/O task. */
  step(record: TaskRecord, task: string, input: unknown, transfer: Transfer): Promise<unknown>;
}

/**
 * The main-thread side of the pool: async functions (network and database I/O) under the same queue,
 * priorities and interactive reserve as CPU work, with their own concurrency limit.
 */
export class IoLane {
  readonly queue: PriorityQueue<TaskRecord>;
  running = 0;
  bulkRunning = 0;
  reserved = 0;
  halted = false;

  constructor(public concurrency: number, agingMs: number, private readonly hooks: IoLaneHooks) {
    this.queue = new PriorityQueue(agingMs);
  }

  enqueue(record: TaskRecord): void {
    record.inQueue = true;
    this.queue.push(record);
    if (this.running < this.concurrency) this.pump();
  }

  pump(): void {
    if (this.running >= this.concurrency || this.queue.size === 0 || this.halted) return;
    const now = performance.now();
    const bulkCap = this.concurrency - this.reserved;
    while (this.running < this.concurrency) {
      const record = this.queue.take(now, this.bulkRunning < bulkCap);
      if (record === undefined) return;
      this.start(record, now);
    }
  }

  /** The task ended: frees its queue place or its slot, then starts more. */
  release(record: TaskRecord, wasQueued: boolean): void {
    if (wasQueued) return this.queue.forget(record);
    if (record.startedAt === 0) return;
    this.running -= 1;
    if (record.rank >= FIRST_BULK_RANK) this.bulkRunning -= 1;
    this.pump();
  }

  private start(record: TaskRecord, now: number): void {
    record.inQueue = false;
    this.running += 1;
    if (record.rank >= FIRST_BULK_RANK) this.bulkRunning += 1;
    this.hooks.started(record, now);
    const controller = new AbortController();
    record.controller = controller;
    const fn = record.fn as (ctx: IoTaskContext<CpuTaskTypes>) => unknown;
    record.fn = null;
    let outcome: unknown;
    try {
      outcome = fn(new IoContext(this.hooks, record, controller.signal));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    record.ioRunning = Promise.resolve(outcome).then(
      (value) => { record.ioRunning = null; if (!record.settled) this.hooks.finish(record, 'COMPLETED', value, null); },
      (error: unknown) => { record.ioRunning = null; if (!record.settled) this.hooks.finish(record, 'FAILED', undefined, asTaskError(error)); },
    );
  }
}

/** The context an I/O task sees. */
class IoContext implements IoTaskContext<CpuTaskTypes> {
  readonly id: number;
  constructor(private readonly hooks: IoLaneHooks, private readonly record: TaskRecord, readonly signal: AbortSignal) {
    this.id = record.id;
  }

  progress(progress: TaskProgress): void {
    this.hooks.progress(this.record, progress);
  }

  cpu(task: string, input: unknown, options?: { transfer?: Transfer }): Promise<never> {
    return this.hooks.step(this.record, task, input, options?.transfer) as Promise<never>;
  }
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
