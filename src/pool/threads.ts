import { Piscina } from 'piscina';
import type { WorkerStatsTable } from './worker-stats.js';

/** How the worker threads are sized and limited. */
export interface ThreadOptions {
  workerFile: string | URL;
  minThreads: number;
  maxThreads: number;
  idleTimeoutMs: number;
  maxOldGenerationSizeMb: number | undefined;
  /** Added to each worker thread's nice value (Linux): 0 leaves them at the main thread's priority. */
  niceIncrement: number;
}

/**
 * What stops one hand-off to piscina. Piscina takes as `signal` an AbortSignal or any emitter of
 * `abort` (its README, "Cancelable Tasks"; it calls `once` and `removeListener`) and does the same
 * with either. This one is a field and a flag, where an AbortSignal per task is an EventTarget with a
 * listener added and removed on every task (bench/pool-overhead measures the difference; figures in
 * the README).
 */
export class HandOff {
  aborted = false;
  private listener: (() => void) | null = null;

  once(_event: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  /** What piscina calls when the task ends. */
  removeListener(): void {
    this.listener = null;
  }

  /** Never called: piscina's type for an emitter signal asks for it (piscina 5.3.2, `AbortSignalEventEmitter`). */
  off(): void {
    this.listener = null;
  }

  /** Piscina drops the task if it has no thread yet, else terminates its thread and starts another. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listener = this.listener;
    this.listener = null;
    listener?.();
  }
}

/** What the threads tell their owner. */
export interface ThreadHooks<Tag> {
  /** A ready thread took `tag`'s task (called from inside piscina's balancer: hand nothing from here). */
  assigned(tag: Tag, threadId: number): void;
  /** A thread finished starting; piscina has already given it the work waiting for one, if any. */
  threadReady(): void;
  error(error: unknown): void;
}

/** A worker entry in TypeScript (tests, benchmarks, running from source) needs tsx in the worker too. */
function needsTsx(workerFile: string | URL): boolean {
  return String(workerFile).endsWith('.ts') && !process.execArgv.includes('tsx');
}

/**
 * The piscina side of the pool: one Piscina instance at a time (resizing swaps in a new one and
 * lets the old one finish what it runs), plus per-thread bookkeeping through piscina's events and
 * its load-balancer hook (which tells us which thread took which task at the moment it is handed out).
 */
export class Threads<Tag extends object = object> {
  private piscina: Piscina;
  private readonly retiring = new Set<Piscina>();
  /**
   * Threads that can run a task now. Piscina's balancer is also offered threads that are still
   * starting; a task given one would count as running (its timeout too) while the thread boots.
   */
  private readonly ready = new Set<number>();

  constructor(
    private options: ThreadOptions,
    private readonly workers: WorkerStatsTable,
    private readonly hooks: ThreadHooks<Tag>,
  ) {
    this.piscina = this.create(options);
  }

  get maxThreads(): number {
    return this.options.maxThreads;
  }

  get minThreads(): number {
    return this.options.minThreads;
  }

  get memoryLimitMb(): number | undefined {
    return this.options.maxOldGenerationSizeMb;
  }

  /** Live worker threads across the current and retiring instances. */
  get threadCount(): number {
    let count = this.piscina.threads.length;
    for (const old of this.retiring) count += old.threads.length;
    return count;
  }

  /**
   * Whether piscina would start a thread for work that finds none free: it has room for one and is
   * not already starting one. Piscina replaces a thread that was stopped or crashed only up to
   * `minThreads`, so work waiting in it could otherwise wait for a busy thread while there is room.
   */
  get couldStartThread(): boolean {
    const threads = this.piscina.threads;
    return threads.length < this.options.maxThreads && threads.every((thread) => this.ready.has(thread.threadId));
  }

  /**
   * Hands one task to piscina. `tag` goes with it so the balancer can report the thread that took it.
   * Aborting `signal` is piscina's own way to stop it: a task not yet on a thread leaves piscina's
   * queue unrun (its buffers are not moved yet); a running one has its thread terminated, and
   * piscina starts a replacement.
   */
  run(request: object, tag: Tag, signal: HandOff, transfer: readonly unknown[] | undefined): Promise<unknown> {
    // Piscina copies this symbol-keyed field into what the balancer sees; structured clone leaves it out of the message.
    (request as Record<symbol, Tag>)[Piscina.queueOptionsSymbol] = tag;
    if (transfer === undefined) return this.piscina.run(request, { signal });
    // postMessage moves buffers and ports, not views: take a view's buffer.
    const transferList = transfer.map((item) => (ArrayBuffer.isView(item) ? item.buffer : item));
    return this.piscina.run(request, { signal, transferList: transferList as never });
  }

  /** Swaps in a differently sized instance; the old one closes once its running tasks end. */
  resize(changes: Partial<Pick<ThreadOptions, 'minThreads' | 'maxThreads' | 'idleTimeoutMs'>>): void {
    const old = this.piscina;
    this.options = { ...this.options, ...changes };
    this.piscina = this.create(this.options);
    this.retiring.add(old);
    void old.close().catch(this.hooks.error).finally(() => this.retiring.delete(old));
  }

  /** Stops every thread now; tasks still running fail (the pool has already settled them). */
  async destroy(): Promise<void> {
    const all = [this.piscina, ...this.retiring];
    await Promise.all(all.map((p) => p.destroy().catch(this.hooks.error)));
  }

  private create(options: ThreadOptions): Piscina {
    const piscina = new Piscina({
      filename: options.workerFile instanceof URL ? options.workerFile.href : options.workerFile,
      minThreads: options.minThreads,
      maxThreads: options.maxThreads,
      idleTimeout: options.idleTimeoutMs,
      concurrentTasksPerWorker: 1,
      recordTiming: false,
      ...(options.maxOldGenerationSizeMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } }),
      ...(options.niceIncrement === 0 ? {} : { niceIncrement: options.niceIncrement }),
      ...(needsTsx(options.workerFile) ? { execArgv: [...process.execArgv, '--import', 'tsx'] } : {}),
      loadBalancer: (task, workers) => {
        // Our queue hands piscina a task only when a thread is free or about to be, so "first idle ready thread" is enough.
        let chosen: (typeof workers)[number] | null = null;
        for (const worker of workers) {
          if (worker.currentUsage === 0 && this.ready.has(worker.id)) {
            chosen = worker;
            break;
          }
        }
        const tag = (task as unknown as Record<symbol, Tag | null | undefined>)[Piscina.queueOptionsSymbol];
        if (chosen !== null && tag !== null && tag !== undefined) this.hooks.assigned(tag, chosen.id);
        return chosen;
      },
    });
    // Piscina counts the threads it starts with as ready at once (they take work as soon as they boot);
    // a thread started later is ready when it says so, which piscina announces as `workerCreate`.
    for (const thread of piscina.threads) this.ready.add(thread.threadId);
    piscina.on('workerCreate', (worker: { id: number }) => {
      const id = worker.id;
      this.ready.add(id);
      this.workers.created(id);
      // The thread's own exit, not piscina's `workerDestroy`: by then a Worker's threadId reads -1,
      // so a stopped or crashed thread stayed "alive" in the stats.
      piscina.threads.find((w) => w.threadId === id)?.once('exit', () => {
        this.ready.delete(id);
        this.workers.destroyed(id);
      });
      // Piscina gives the new thread the work waiting for one right after this event.
      queueMicrotask(this.hooks.threadReady);
    });
    // Piscina emits 'error' for a thread failure with no task attached; unhandled it would crash the bot.
    piscina.on('error', this.hooks.error);
    return piscina;
  }
}
