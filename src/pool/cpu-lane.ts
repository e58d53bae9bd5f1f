import { classifyWorkerFailure, PoolErrors, reviveError, type TaskError } from './errors.js';
import { reservedSlots } from './options.js';
import { PriorityQueue } from './priority-queue.js';
import { ProgressChannel } from './progress-channel.js';
import { isWorkerReply, type WorkerRequest } from './protocol.js';
import { StepItem, type TaskRecord } from './task-record.js';
import { HandOff, type Threads } from './threads.js';
import { FIRST_BULK_RANK } from './types.js';
import type { FinalState, TaskProgress } from './types.js';
import type { WorkerStatsTable } from './worker-stats.js';

/** One piece of CPU work: a CPU task, or a CPU step of an I/O task. */
export type CpuWork = TaskRecord | StepItem;

type Transfer = readonly (ArrayBuffer | ArrayBufferView)[] | undefined;

/** What the CPU lane asks of the scheduler, which owns a task's life from RUNNING to its end. */
export interface CpuLaneHooks {
  /** A CPU task got its thread: it is RUNNING from `now` (its timeout starts). */
  started(record: TaskRecord, now: number): void;
  /** A CPU task's work is over: its reply came, or its thread failed. */
  finish(record: TaskRecord, state: FinalState, value: unknown, error: TaskError | null, now?: number): void;
  progress(record: TaskRecord, progress: TaskProgress): void;
}

export interface CpuLaneDeps {
  threads: Threads<CpuWork>;
  workers: WorkerStatsTable;
  agingMs: number;
  hooks: CpuLaneHooks;
}

/**
 * The worker-thread side of the pool: our priority queue in front of piscina, which is handed work
 * while it has a ready thread free, plus one piece that waits in piscina for a thread (see
 * {@link CpuLane.waiting}), so priorities, aging and the interactive reserve stay ours. Every
 * hand-off carries piscina's abort signal ({@link HandOff}): aborting it is how work that has no
 * thread yet is taken back, and how a running piece is stopped (piscina terminates its thread).
 *
 * A task is RUNNING from the moment a ready thread takes it (piscina's load-balancer hook tells
 * us), not from the hand-off: its timeout and wait time count from there.
 */
export class CpuLane {
  readonly queue: PriorityQueue<CpuWork>;
  /** Work that has a thread. */
  running = 0;
  bulkRunning = 0;
  /** Share of the threads kept for CRITICAL/HIGH work (see {@link reserved}). */
  interactiveShare = 0;
  halted = false;
  /**
   * The one piece handed to piscina that has no thread yet. With every thread busy it is "on deck":
   * piscina passes it to the first thread that frees up from inside its own reply handler, so the
   * thread does not idle while the main thread settles the previous task (bursts of small tasks fell
   * below the pool-overhead floor without it; see the README's figures). With a thread to spare it
   * makes piscina start one. Never more than one: piscina's own queue would not keep our order.
   */
  private waiting: CpuWork | null = null;

  constructor(private readonly deps: CpuLaneDeps) {
    this.queue = new PriorityQueue(deps.agingMs);
  }

  /** Threads kept for CRITICAL/HIGH work, of the threads there are now. */
  get reserved(): number {
    return reservedSlots(this.deps.threads.maxThreads, this.interactiveShare);
  }

  /** Work handed to piscina without a thread yet, per priority rank: it is still QUEUED. */
  waitingByRank(): number[] {
    const out = [0, 0, 0, 0];
    if (this.waiting !== null) out[this.waiting.rank] = 1;
    return out;
  }

  /** Queues a CPU task, or hands it over at once when nothing waits and there is room (most tasks meet an idle pool). */
  enqueue(record: TaskRecord, now: number): void {
    const room = this.queue.size === 0 ? this.room() : null;
    if (room !== null && (room || record.rank < FIRST_BULK_RANK)) return this.hand(record);
    record.inQueue = true;
    this.queue.push(record);
    this.pump(now);
  }

  /** Queues one CPU step of a running I/O task; it runs at the task's priority. */
  runStep(record: TaskRecord, task: string, input: unknown, transfer: Transfer): Promise<unknown> {
    if (record.settled) return Promise.reject(record.error ?? PoolErrors.cancelled('the task has ended'));
    return new Promise((resolve, reject) => {
      const item = new StepItem(record, task, input, transfer, performance.now(), resolve, reject);
      (record.steps ??= []).push(item.step);
      (record.liveSteps ??= new Set()).add(item);
      this.queue.push(item);
      this.pump(item.queuedAt);
    });
  }

  /**
   * Resizes the threads: a new piscina instance takes new work, the old one finishes what runs on
   * it. Work still waiting in the old one is taken back first, so that it neither waits for the old
   * instance's busy threads while the new one idles, nor fails when those threads end.
   */
  resize(changes: Parameters<Threads['resize']>[0]): void {
    const item = this.waiting;
    if (item !== null) {
      this.takeBack(item);
      item.inQueue = true;
      this.queue.pushFront(item);
    }
    this.deps.threads.resize(changes);
    this.pump();
  }

  /** Hands out queued work while there is room. `now`: the caller's clock reading, if it has one. */
  pump(now?: number): void {
    while (!this.halted && this.queue.size > 0) {
      const room = this.room();
      if (room === null) return;
      const item = this.queue.take((now ??= performance.now()), room);
      if (item === undefined) return;
      this.hand(item);
    }
  }

  /** Piscina gave `item` thread `threadId` (from inside its load balancer: nothing here may hand it more work). */
  assigned(item: CpuWork, threadId: number): void {
    if (this.waiting !== item) return;
    this.waiting = null;
    this.running += 1;
    if (item.rank >= FIRST_BULK_RANK) this.bulkRunning += 1;
    const now = performance.now();
    if (item instanceof StepItem) {
      this.deps.workers.assigned(threadId, item, item.record.id);
      Object.assign(item.step, { state: 'RUNNING', startedAt: now, workerId: threadId });
    } else {
      this.deps.workers.assigned(threadId, item, item.id);
      item.workerId = threadId;
      this.deps.hooks.started(item, now);
    }
  }

  /** Stops `item`'s work wherever piscina has it; the caller then ends the item. */
  abort(item: CpuWork): void {
    this.deps.workers.release(item, false);
    item.handOff?.abort();
  }

  /** The work of `item` ended: frees its queue place, its hand-off or its thread, then hands out more. */
  release(item: CpuWork, wasQueued: boolean): void {
    if (wasQueued) return this.queue.forget(item);
    if (this.waiting === item) {
      this.takeBack(item);
    } else if (item.startedAt !== 0) {
      this.running -= 1;
      if (item.rank >= FIRST_BULK_RANK) this.bulkRunning -= 1;
      item.handOff = null;
      // Its thread may be gone (stopped or crashed): the waiting piece, handed again, makes piscina start one.
      const waiting = this.waiting;
      if (waiting !== null && this.deps.threads.couldStartThread) {
        this.takeBack(waiting);
        this.hand(waiting);
      }
    } else {
      return;
    }
    this.pump();
  }

  /** Ends a CPU step once; settles its promise. */
  endStep(item: StepItem, state: FinalState, value: unknown, error: TaskError | null): void {
    if (item.settled) return;
    const wasQueued = item.inQueue;
    item.settled = true;
    item.inQueue = false;
    Object.assign(item.step, { state, endedAt: performance.now() });
    item.record.liveSteps?.delete(item);
    this.release(item, wasQueued);
    if (error === null) item.resolve(value);
    else item.reject(error);
  }

  /** Work piscina has given no thread: its hand-off is aborted, so piscina drops it unrun (its buffers were not moved). */
  private takeBack(item: CpuWork): void {
    this.waiting = null;
    item.handOff?.abort();
    item.handOff = null;
    if (!(item instanceof StepItem)) {
      item.channel?.close();
      item.channel = null;
    }
  }

  /**
   * Whether more work may be handed over now: null when not (a piece already waits in piscina),
   * else whether bulk work may be. Bulk work may fill all threads but the reserve; on deck, it goes
   * only when nothing is reserved (the thread that frees next may be a reserved one).
   */
  private room(): boolean | null {
    if (this.halted || this.waiting !== null) return null;
    const cap = this.deps.threads.maxThreads;
    if (this.running >= cap) return this.reserved === 0;
    return this.bulkRunning < cap - this.reserved;
  }

  private hand(item: CpuWork): void {
    item.inQueue = false;
    const request: WorkerRequest = { task: item.task, input: item.input };
    let transfer: readonly unknown[] | undefined = item.transfer;
    if (!(item instanceof StepItem) && item.onProgress !== null) {
      const record = item;
      record.channel = new ProgressChannel((progress) => this.deps.hooks.progress(record, progress));
      request.progressPort = record.channel.workerPort;
      transfer = [...(transfer ?? []), record.channel.workerPort];
    }
    const handOff = new HandOff();
    item.handOff = handOff;
    // Waiting before the hand-off: piscina's balancer may report the thread from inside `run`.
    this.waiting = item;
    this.deps.threads.run(request, item, handOff, transfer).then(
      (reply) => this.replied(item, reply),
      // An aborted hand-off was taken back or stopped by whoever aborted it.
      (error: unknown) => { if (!handOff.aborted) this.failed(item, classifyWorkerFailure(error, this.deps.threads.memoryLimitMb)); },
    );
  }

  private replied(item: CpuWork, reply: unknown): void {
    if (item.settled) return;
    if (!isWorkerReply(reply)) return this.failed(item, PoolErrors.malformedResult('it is not a worker reply (was the worker entry built with createDispatcher?)'));
    const now = performance.now();
    this.deps.workers.finished(reply.threadId, item, reply.ok, now - item.startedAt);
    const error = reply.ok ? null : reviveError(reply.error);
    if (item instanceof StepItem) return this.endStep(item, reply.ok ? 'COMPLETED' : 'FAILED', reply.ok ? reply.value : undefined, error);
    if (!reply.ok || item.channel === null) return this.deps.hooks.finish(item, reply.ok ? 'COMPLETED' : 'FAILED', reply.ok ? reply.value : undefined, error, now);
    // The last progress message may still be on its way on the other port: report the result after it.
    void item.channel.whenEnded().then(() => {
      if (!item.settled) this.deps.hooks.finish(item, 'COMPLETED', reply.value, null);
    });
  }

  /** The thread failed under `item`, or its reply was not one. */
  private failed(item: CpuWork, error: TaskError): void {
    if (item.settled) return;
    this.deps.workers.release(item, true);
    if (item instanceof StepItem) this.endStep(item, 'FAILED', undefined, error);
    else this.deps.hooks.finish(item, 'FAILED', undefined, error);
  }
}
