import type { TaskError } from './errors.js';
import { classifyWorkerFailure, PoolErrors, reviveError } from './errors.js';
import { reservedSlots } from './options.js';
import { PriorityQueue } from './priority-queue.js';
import { ProgressChannel } from './progress-channel.js';
import { isWorkerReply, SKIPPED_TASK, type WorkerReply, type WorkerRequest } from './protocol.js';
import { StepItem } from './step-item.js';
import type { TaskRecord } from './task-record.js';
import type { Threads } from './threads.js';
import { FIRST_BULK_RANK } from './types.js';
import type { FinalState, TaskProgress } from './types.js';
import type { WorkerStatsTable } from './worker-stats.js';

/** One piece of CPU work: a CPU task, or a CPU step of an I/O task. */
export type CpuWork = TaskRecord | StepItem;

/** Whether handing `item` over moves buffers or a progress port with it. */
function carriesPorts(item: CpuWork): boolean {
  return item.transfer !== undefined || (!(item instanceof StepItem) && item.onProgress !== null);
}

type Transfer = readonly (ArrayBuffer | ArrayBufferView)[] | undefined;
type ThreadChanges = Parameters<Threads['resize']>[0];

/**
 * Pieces of work handed to piscina beyond one per thread. One is enough: measured by
 * bench/pool-overhead (bursts of tiny tasks), one on deck gave 1.1x raw piscina where none gave
 * 0.85x, and a second one was slower, not faster.
 */
const ON_DECK = 1;

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
 * The worker-thread side of the pool: our priority queue in front of piscina. Piscina is handed one
 * piece of work per thread, so priorities, the interactive reserve and cancelling queued work stay
 * ours; plus one more "on deck" while every thread is busy, which piscina passes to the first thread
 * that frees up from inside its own reply handler, so a thread does not sit idle while the main thread
 * settles the previous task.
 *
 * A task is RUNNING from the moment piscina gives it a thread (its load-balancer hook tells us), not
 * from the hand-off: its timeout and wait time count from there. Work on deck that is cancelled is
 * turned into a no-op the worker skips, since piscina offers no way to take a queued task back
 * without an AbortSignal per task (which costs every task).
 *
 * Bulk work goes on deck only when nothing is reserved for interactive work: with a reserve, the
 * thread that frees next may be a reserved one, and bulk work must not take it. Work that moves
 * buffers or a progress port never waits on deck: it could not be taken back (see {@link resize}).
 */
export class CpuLane {
  readonly queue: PriorityQueue<CpuWork>;
  /** Work that has a thread. */
  running = 0;
  bulkRunning = 0;
  /** Work handed to piscina that has no thread yet (on deck, or a thread still starting): a few pieces at most. */
  private readonly handedOver: CpuWork[] = [];
  /** Share of the threads kept for CRITICAL/HIGH work (see {@link reserved}). */
  interactiveShare = 0;
  halted = false;

  constructor(private readonly deps: CpuLaneDeps) {
    this.queue = new PriorityQueue(deps.agingMs);
  }

  /** Threads kept for CRITICAL/HIGH work, of the threads there are now (a resize may be pending). */
  get reserved(): number {
    return reservedSlots(this.deps.threads.maxThreads, this.interactiveShare);
  }

  /** Work handed to piscina without a thread yet. */
  get waitingCount(): number {
    return this.handedOver.length;
  }

  /** {@link waitingCount} per priority rank (it is still QUEUED work). */
  waitingByRank(): number[] {
    const out = [0, 0, 0, 0];
    for (const item of this.handedOver) out[item.rank] = (out[item.rank] as number) + 1;
    return out;
  }

  /** Queues a CPU task, or hands it over at once when nothing waits and there is room (most tasks meet an idle pool). */
  enqueue(record: TaskRecord, now: number): void {
    record.inQueue = true;
    if (this.queue.size === 0) {
      const room = this.room();
      if (room !== null && (record.rank < FIRST_BULK_RANK || room) && !(this.deckNext() && carriesPorts(record))) return this.hand(record);
    }
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
   * it. Work waiting in the old instance would wait for its busy threads while the new one idles,
   * and fail if those threads died (a closing instance starts none), so it is taken back first, in
   * order. Only work that moves buffers or a port stays (a piece waiting for a thread that is
   * already starting; such work never goes on deck): its message would move them to the no-op.
   */
  resize(changes: ThreadChanges): void {
    for (const item of [...this.handedOver].reverse()) if (!carriesPorts(item)) this.takeBack(item);
    this.deps.threads.resize(changes);
    this.pump();
  }

  /** Work handed to piscina without a thread back into our queue, at the head of its level; piscina's copy becomes a no-op. */
  private takeBack(item: CpuWork): void {
    const request = item.request as WorkerRequest;
    item.input = request.input;
    this.withdraw(item);
    item.inQueue = true;
    this.queue.pushFront(item);
  }

  /** Forgets work handed to piscina without a thread: piscina will still pass it to a thread, which skips it. */
  private withdraw(item: CpuWork): void {
    const request = item.request as WorkerRequest;
    request.task = SKIPPED_TASK;
    request.input = undefined;
    item.request = null;
    this.forgetHanded(item);
  }

  private forgetHanded(item: CpuWork): void {
    const at = this.handedOver.indexOf(item);
    if (at >= 0) this.handedOver.splice(at, 1);
  }

  /** Hands out queued work while there is room. `now`: the caller's clock reading, if it has one. */
  pump(now?: number): void {
    while (!this.halted && this.queue.size > 0) {
      const room = this.room();
      if (room === null) return;
      const deck = this.deckNext();
      const item = this.queue.take((now ??= performance.now()), room);
      if (item === undefined) return;
      // Work that moves buffers or a port waits for a free thread here, not on deck: taken back from
      // the deck (a resize), its message would still move them to the skipped no-op.
      if (deck && carriesPorts(item)) return this.queue.pushFront(item);
      this.hand(item);
    }
  }

  /**
   * Piscina gave `item` thread `threadId` (called from its load balancer, inside piscina: nothing here
   * may hand piscina more work). Work taken back meanwhile was made a no-op and needs nothing.
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

  /** The work of `item` ended: frees its queue place, its deck place or its thread, then hands out more. */
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

  /**
   * Whether more work may be handed over now: null when not, else whether bulk work may be. Below one
   * piece per thread, bulk work may fill all but the reserve; the deck takes bulk work only when
   * nothing is reserved.
   */
  private room(): boolean | null {
    if (this.halted) return null;
    const cap = this.deps.threads.maxThreads;
    const handed = this.running + this.handedOver.length;
    const reserved = this.reserved;
    if (handed < cap) {
      let bulk = this.bulkRunning;
      for (const item of this.handedOver) if (item.rank >= FIRST_BULK_RANK) bulk += 1;
      return bulk < cap - reserved;
    }
    return handed < cap + ON_DECK ? reserved === 0 : null;
  }

  /** Whether the next piece handed over would wait on deck (every thread has its piece). */
  private deckNext(): boolean {
    return this.running + this.waitingCount >= this.deps.threads.maxThreads;
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
    // Set before the hand-off: piscina's balancer may report the thread from inside `run`.
    item.request = request;
    this.handedOver.push(item);
    this.deps.threads.run(request, item, transfer).then(
      (reply) => this.replied(item, reply),
      (error: unknown) => this.threadFailed(item, error),
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
