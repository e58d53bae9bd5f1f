import { classifyWorkerFailure, PoolErrors, reviveError, type TaskError } from './errors.js';
import { reservedSlots } from './options.js';
import { PriorityQueue } from './priority-queue.js';
import { ProgressChannel } from './progress-channel.js';
import { isWorkerReply, type WorkerReply, type WorkerRequest } from './protocol.js';
import { StepItem, type TaskRecord } from './task-record.js';
import { HandOff, type Threads } from './threads.js';
import { FIRST_BULK_RANK } from './types.js';
import type { FinalState, TaskProgress } from './types.js';
import type { WorkerStatsTable } from './worker-stats.js';

/** One piece of CPU work: a CPU task, or a CPU step of an I/O task. */
export type CpuWork = TaskRecord | StepItem;

type Transfer = readonly (ArrayBuffer | ArrayBufferView)[] | undefined;
type ThreadChanges = Parameters<Threads['resize']>[0];

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
 * The worker-thread side of the pool: our priority queue in front of piscina, which is handed one
 * piece of work per thread, so priorities, aging and the interactive reserve stay ours. Every
 * hand-off carries an abort signal ({@link HandOff}): aborting it is how work that has not reached a thread is taken
 * back, and how a running task is stopped (piscina terminates and replaces its thread).
 *
 * A task is RUNNING from the moment piscina gives it a thread (its load-balancer hook tells us), not
 * from the hand-off: its timeout and wait time count from there.
 */
export class CpuLane {
  readonly queue: PriorityQueue<CpuWork>;
  /** Work that has a thread. */
  running = 0;
  bulkRunning = 0;
  /** Work handed to piscina that has no thread yet (a thread is still starting): a few pieces at most. */
  private readonly handedOver: CpuWork[] = [];
  /** Share of the threads kept for CRITICAL/HIGH work (see {@link reserved}). */
  interactiveShare = 0;
  halted = false;

  constructor(private readonly deps: CpuLaneDeps) {
    this.queue = new PriorityQueue(deps.agingMs);
  }

  /** Threads kept for CRITICAL/HIGH work, of the threads there are now. */
  get reserved(): number {
    return reservedSlots(this.deps.threads.maxThreads, this.interactiveShare);
  }

  /** Work handed to piscina without a thread yet (it is still QUEUED). */
  get waitingCount(): number {
    return this.handedOver.length;
  }

  /** {@link waitingCount} per priority rank. */
  waitingByRank(): number[] {
    const out = [0, 0, 0, 0];
    for (const item of this.handedOver) out[item.rank] = (out[item.rank] as number) + 1;
    return out;
  }

  /** Queues a CPU task, or hands it over at once when nothing waits and there is room (most tasks meet an idle pool). */
  enqueue(record: TaskRecord, now: number): void {
    record.inQueue = true;
    if (this.queue.size === 0 && this.hasRoomFor(record.rank)) return this.hand(record);
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
      this.pump(performance.now());
    });
  }

  /**
   * Resizes the threads: a new piscina instance takes new work, the old one finishes what runs on
   * it. Work waiting in the old one for a thread to start is taken back first (its hand-off
   * aborted), in order, so it does not wait on a closing instance while the new one idles.
   */
  resize(changes: ThreadChanges): void {
    for (const item of [...this.handedOver].reverse()) {
      const request = item.request as WorkerRequest;
      this.withdraw(item);
      item.input = request.input;
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

  /**
   * Piscina gave `item` thread `threadId` (called from its load balancer, inside piscina: nothing here
   * may hand piscina more work).
   */
  assigned(item: CpuWork, threadId: number): void {
    if (item.settled || item.request === null) return;
    item.request = null;
    this.forgetHanded(item);
    this.running += 1;
    if (item.rank >= FIRST_BULK_RANK) this.bulkRunning += 1;
    const now = performance.now();
    if (item instanceof StepItem) {
      this.deps.workers.assigned(threadId, item, item.record.id);
      item.step.state = 'RUNNING';
      item.step.startedAt = now;
      item.step.workerId = threadId;
    } else {
      this.deps.workers.assigned(threadId, item, item.id);
      item.workerId = threadId;
      this.deps.hooks.started(item, now);
    }
  }

  /**
   * Stops `item`'s work wherever it is: a running thread is terminated by piscina, work waiting for a
   * thread leaves piscina's queue. The item is ended by the caller.
   */
  abort(item: CpuWork): void {
    if (item.handOff === null) return;
    this.deps.workers.release(item, false);
    item.handOff.abort();
  }

  /** The work of `item` ended: frees its queue place, its hand-off or its thread, then hands out more. */
  release(item: CpuWork, wasQueued: boolean): void {
    if (wasQueued) return this.queue.forget(item);
    if (item.request !== null) {
      this.withdraw(item);
    } else if (item.startedAt !== 0) {
      this.running -= 1;
      if (item.rank >= FIRST_BULK_RANK) this.bulkRunning -= 1;
    } else {
      return;
    }
    item.handOff = null;
    this.pump();
  }

  /** Ends a CPU step once; settles its promise. */
  endStep(item: StepItem, state: FinalState, value: unknown, error: TaskError | null): void {
    if (item.settled) return;
    const wasQueued = item.inQueue;
    item.settled = true;
    item.inQueue = false;
    item.step.state = state;
    item.step.endedAt = performance.now();
    item.record.liveSteps?.delete(item);
    this.release(item, wasQueued);
    if (error === null) item.resolve(value);
    else item.reject(error);
  }

  /** Takes back work piscina has not given a thread: its hand-off is aborted, so piscina drops it unrun. */
  private withdraw(item: CpuWork): void {
    item.request = null;
    item.handOff?.abort();
    item.handOff = null;
    if (!(item instanceof StepItem)) {
      item.channel?.close();
      item.channel = null;
    }
    this.forgetHanded(item);
  }

  private forgetHanded(item: CpuWork): void {
    const at = this.handedOver.indexOf(item);
    if (at >= 0) this.handedOver.splice(at, 1);
  }

  /** Whether work of `rank` may be handed over now (see {@link room}). */
  private hasRoomFor(rank: number): boolean {
    const room = this.room();
    return room !== null && (rank < FIRST_BULK_RANK || room);
  }

  /** Whether more work may be handed over now: null when not, else whether bulk work may be (all but the reserve). */
  private room(): boolean | null {
    if (this.halted) return null;
    const cap = this.deps.threads.maxThreads;
    if (this.running + this.handedOver.length >= cap) return null;
    let bulk = this.bulkRunning;
    for (const item of this.handedOver) if (item.rank >= FIRST_BULK_RANK) bulk += 1;
    return bulk < cap - this.reserved;
  }

  private hand(item: CpuWork): void {
    item.inQueue = false;
    const request: WorkerRequest = { task: item.task, input: item.input };
    let transfer: readonly unknown[] | undefined = item.transfer;
    if (!(item instanceof StepItem) && item.onProgress !== null) {
      const record = item;
      const channel = new ProgressChannel((progress) => this.deps.hooks.progress(record, progress));
      record.channel = channel;
      request.progressPort = channel.workerPort;
      transfer = [...(transfer ?? []), channel.workerPort];
    }
    item.input = undefined;
    const handOff = new HandOff();
    item.handOff = handOff;
    // Set before the hand-off: piscina's balancer may report the thread from inside `run`.
    item.request = request;
    this.handedOver.push(item);
    this.deps.threads.run(request, item, handOff, transfer).then(
      (reply) => this.replied(item, reply),
      (error: unknown) => {
        // An aborted hand-off was taken back or stopped by whoever aborted it.
        if (!handOff.aborted) this.threadFailed(item, error);
      },
    );
  }

  private replied(item: CpuWork, reply: unknown): void {
    if (item.settled) return;
    if (!isWorkerReply(reply)) {
      this.deps.workers.release(item, true);
      return this.end(item, 'FAILED', undefined, PoolErrors.malformedResult('it is not a worker reply (was the worker entry built with createDispatcher?)'));
    }
    const now = performance.now();
    this.deps.workers.finished(reply.threadId, item, reply.ok, now - item.startedAt);
    if (item instanceof StepItem) return this.endStepWith(item, reply);
    if (!reply.ok) return this.deps.hooks.finish(item, 'FAILED', undefined, reviveError(reply.error), now);
    const channel = item.channel;
    if (channel === null) return this.deps.hooks.finish(item, 'COMPLETED', reply.value, null, now);
    void channel.whenEnded().then(() => {
      if (!item.settled) this.deps.hooks.finish(item, 'COMPLETED', reply.value, null);
    });
  }

  private endStepWith(item: StepItem, reply: WorkerReply): void {
    if (reply.ok) this.endStep(item, 'COMPLETED', reply.value, null);
    else this.endStep(item, 'FAILED', undefined, reviveError(reply.error));
  }

  private threadFailed(item: CpuWork, error: unknown): void {
    if (item.settled) return;
    this.deps.workers.release(item, true);
    this.end(item, 'FAILED', undefined, classifyWorkerFailure(error, this.deps.threads.memoryLimitMb));
  }

  private end(item: CpuWork, state: FinalState, value: unknown, error: TaskError | null): void {
    if (item instanceof StepItem) this.endStep(item, state, value, error);
    else this.deps.hooks.finish(item, state, value, error);
  }
}
