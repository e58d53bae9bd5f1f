import type { Logger } from '../logging/logger.js';
import type { IoFunction, TaskHandle, TaskOptions } from '../pool/index.js';
import type { ProductionTasks } from '../worker/index.js';
import { nextDelayMs, type ServerHealth } from './health.js';
import {
  ACTIVE_WINDOW_MS, FAST_POLL_MS, hadNews, nextWaitMs, quietCadence, type CadenceState, type PollCadence,
} from './poll-cadence.js';
import type { ServerWatch } from './server-watch.js';
import type { TickReport } from './tick.js';

/** The slice of the pool the scheduler uses. */
export interface TickPool {
  submitIo<T>(fn: IoFunction<ProductionTasks, T>, options?: TaskOptions): TaskHandle<T>;
}

export interface TickSchedulerDeps {
  pool: TickPool;
  tick: IoFunctionFor<TickReport>;
  logger: Logger;
  /** Longest wait between retries of a failing server (default 5 minutes). */
  backoffCapMs?: number;
  random?: () => number;
  now?: () => number;
  /** Called when a server stops being watched: the ingest writer drops what it keeps for it. */
  forget?: (target: ServerWatch['target']) => Promise<void>;
  /** How often a server with fresh news is read (default 2 s; never slower than its interval). */
  fastPollMs?: number;
  /** How long a server counts as busy after a read with news (default 1 minute). */
  activeWindowMs?: number;
  /** Where waits are kept: real timers by default, a test's clock in tests. */
  timers?: SchedulerTimers;
  /**
   * Other reads in flight (queued or running) from which on busy servers are read at their own interval, not
   * fast (default 32): fast reads are for news, and when the bot is already behind they only lengthen
   * the queue every server waits in (at 1,000 busy servers every 2 s, reads queued for minutes).
   */
  maxTicksInFlight?: number;
}

/** Sets one wait; the scheduler cancels it when it reschedules or stops. */
export interface SchedulerTimers {
  set(fire: () => void, delayMs: number): { cancel(): void };
}

// Unref'd: a watched server alone never keeps the process alive.
const realTimers: SchedulerTimers = {
  set(fire, delayMs) {
    const timer = setTimeout(fire, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface Entry {
  watch: ServerWatch;
  timer: { cancel(): void } | null;
  /** When the pending wait ends (ms, the scheduler's clock). */
  dueAt: number;
  cadence: CadenceState;
}

type IoFunctionFor<T> = (watch: ServerWatch, ctx: Parameters<IoFunction<ProductionTasks, T>>[0]) => Promise<T>;

/** The lock and de-duplication key of everything that reads or rewrites one game server's figures. */
export function serverKey(serverId: string): string {
  return `server:${serverId}`;
}

/**
 * Runs a tick for every watched server, with jitter, capped exponential backoff after failures and a
 * health record per server. A server whose reads bring news is read every `fastPollMs` and a quiet
 * one backs off to its interval (src/ingest/poll-cadence.ts); how many of those reads reach one host
 * at once is the SFTP pool's per-host limit. Ticks go through the pool as exclusive I/O jobs keyed by
 * server, so a tick never overlaps another tick or a history run of the same server; a tick that
 * finds the previous one still running is skipped and counted.
 */
export class TickScheduler {
  readonly #deps: Required<TickSchedulerDeps>;
  readonly #log: Logger;
  readonly #watches = new Map<string, Entry>();
  #stopped = false;
  /** Ticks submitted and not yet settled: how far behind the bot is. */
  #inFlight = 0;

  constructor(deps: TickSchedulerDeps) {
    this.#deps = {
      backoffCapMs: 300_000, random: Math.random, now: Date.now, forget: () => Promise.resolve(),
      fastPollMs: FAST_POLL_MS, activeWindowMs: ACTIVE_WINDOW_MS, timers: realTimers, maxTicksInFlight: 32, ...deps,
    };
    this.#log = deps.logger.child({ module: 'scheduler' });
  }

  /** Starts watching a server: its first tick comes after a random part of its interval. */
  add(watch: ServerWatch): void {
    const before = this.#watches.get(watch.target.serverId)?.watch.health;
    this.remove(watch.target.serverId);
    // Watched again with new settings (an edit): how reading went so far still holds.
    if (before) keepHistory(watch.health, before);
    const entry: Entry = { watch, timer: null, dueAt: 0, cadence: quietCadence(this.#cadenceOf(watch)) };
    this.#watches.set(watch.target.serverId, entry);
    this.#schedule(entry, Math.round(this.#deps.random() * Math.min(watch.intervalMs, 5_000)));
  }

  /** Stops watching a server (a running tick finishes; no new one starts). */
  remove(serverId: string): void {
    const entry = this.#watches.get(serverId);
    entry?.timer?.cancel();
    if (entry) entry.watch.health.state = 'stopped';
    this.#watches.delete(serverId);
    if (!entry) return;
    // Under the server's lock: a tick still running would otherwise add its work after the writer
    // forgot the server, and the writer would hold it again for the life of the process.
    const { target } = entry.watch;
    this.#deps.pool.submitIo(() => this.#deps.forget(target), { label: 'forget', key: serverKey(serverId), exclusive: true, priority: 'HIGH', meta: { guildId: target.guildId, serverId, server: entry.watch.name } })
      .result.catch((error: unknown) => this.#log.warn({ err: error, serverId }, 'could not drop what the writer keeps for a removed game server'));
  }

  /** Runs a tick now (an admin asked), joining one already queued or running. */
  tickNow(serverId: string): Promise<TickReport> {
    const entry = this.#watches.get(serverId);
    if (!entry) return Promise.reject(new Error('That game server is not being watched.'));
    return this.#submit(entry, 'HIGH').result;
  }

  watch(serverId: string): ServerWatch | undefined {
    return this.#watches.get(serverId)?.watch;
  }

  /** Health of every watched server, for admins. */
  health(): ServerHealth[] {
    return [...this.#watches.values()].map((e) => ({ ...e.watch.health }));
  }

  /** Clears every timer; running ticks finish under the pool's shutdown. */
  stop(): void {
    this.#stopped = true;
    for (const entry of this.#watches.values()) entry.timer?.cancel();
  }

  #schedule(entry: Entry, delayMs: number): void {
    if (this.#stopped || this.#watches.get(entry.watch.target.serverId) !== entry) return;
    entry.timer?.cancel();
    entry.dueAt = this.#deps.now() + delayMs;
    entry.watch.health.nextTickAt = new Date(entry.dueAt).toISOString();
    entry.timer = this.#deps.timers.set(() => {
      entry.timer = null;
      this.#fire(entry);
    }, delayMs);
  }

  #cadenceOf(watch: ServerWatch): PollCadence {
    // Behind on reads: no fast cadence until the queue is short again (a busy server then reads at its interval).
    const fastMs = this.#inFlight >= this.#deps.maxTicksInFlight ? watch.intervalMs : this.#deps.fastPollMs;
    return { intervalMs: watch.intervalMs, fastMs, activeWindowMs: this.#deps.activeWindowMs };
  }

  /** The next wait of a healthy server (fast while it has news, backing off when quiet), jittered. */
  #healthyDelay(entry: Entry): number {
    const wait = nextWaitMs(this.#cadenceOf(entry.watch), entry.cadence, this.#deps.now());
    entry.cadence.lastWaitMs = wait;
    return nextDelayMs(wait, 0, this.#deps.backoffCapMs, this.#deps.random);
  }

  /**
   * Fires on the server's cadence whether or not the last tick has finished: one still queued or
   * running makes this one a counted skip, never a second reader (a history run holds the server's
   * lock, so the tick queued behind it absorbs the ticks due meanwhile).
   */
  #fire(entry: Entry): void {
    const { health } = entry.watch;
    const failures = health.consecutiveFailures;
    // Chosen before this read is submitted, so "behind" counts the other reads in flight, as after a read.
    const delay = failures > 0
      ? nextDelayMs(entry.watch.intervalMs, failures, this.#deps.backoffCapMs, this.#deps.random)
      : this.#healthyDelay(entry);
    if (this.#submit(entry, 'NORMAL').disposition === 'skipped') health.skippedTicks += 1;
    this.#schedule(entry, delay);
  }

  /**
   * A read with news marks the server busy; when its next read is further off than the fast cadence
   * (it was quiet until now), that read is brought forward, so the rest of a fight is not left
   * waiting out a long interval.
   */
  #noteNews(entry: Entry): void {
    const now = this.#deps.now();
    entry.cadence.lastNewsAt = now;
    const fast = Math.min(this.#cadenceOf(entry.watch).fastMs, entry.watch.intervalMs);
    if (entry.timer === null || entry.dueAt - now <= fast) return;
    entry.cadence.lastWaitMs = fast;
    this.#schedule(entry, nextDelayMs(fast, 0, this.#deps.backoffCapMs, this.#deps.random));
  }

  #submit(entry: Entry, priority: 'NORMAL' | 'HIGH'): TaskHandle<TickReport> {
    const { watch } = entry;
    const handle = this.#deps.pool.submitIo((ctx) => this.#deps.tick(watch, ctx), {
      label: 'tick', key: serverKey(watch.target.serverId), exclusive: true, dedupe: priority === 'HIGH' ? 'join' : 'skip', priority,
      meta: { guildId: watch.target.guildId, serverId: watch.target.serverId, server: watch.name },
    });
    if (handle.disposition === 'started') {
      watch.health.state = 'reading';
      watch.health.lastAttemptAt = new Date(this.#deps.now()).toISOString();
      this.#inFlight += 1;
      handle.result.finally(() => { this.#inFlight -= 1; }).catch(() => undefined);
      handle.result.then((report) => this.#succeeded(watch, report), (error: unknown) => this.#failed(watch, error));
    }
    return handle;
  }

  #succeeded(watch: ServerWatch, report: TickReport): void {
    const h = watch.health;
    // A tick that ends after its server was removed must not bring the record back to life.
    const entry = this.#watches.get(h.serverId);
    if (entry?.watch !== watch) return;
    if (h.consecutiveFailures > 0) this.#log.info({ server: watch.name, serverId: h.serverId, failures: h.consecutiveFailures }, 'game server readable again');
    // Located, so an admin can look at the row: the figures only count it.
    for (const m of report.malformedSample) this.#log.warn({ server: watch.name, serverId: h.serverId, file: m.file, line: m.line, excerpt: m.excerpt }, `malformed death-log row: ${m.reason}`);
    Object.assign(h, {
      state: 'ok', lastSuccessAt: new Date(this.#deps.now()).toISOString(), lastError: null, lastErrorKind: null,
      consecutiveFailures: 0, ticks: h.ticks + 1, rowsRead: h.rowsRead + report.rows, malformedRows: h.malformedRows + report.malformed,
    } satisfies Partial<ServerHealth>);
    if (report.lagSeconds !== null) h.lagSeconds = report.lagSeconds;
    if (hadNews(report)) this.#noteNews(entry);
  }

  #failed(watch: ServerWatch, error: unknown): void {
    const h = watch.health;
    if (this.#watches.get(h.serverId)?.watch !== watch) return;
    const message = error instanceof Error ? error.message : String(error);
    const kind = typeof (error as { kind?: unknown }).kind === 'string' ? (error as { kind: string }).kind : 'failed';
    // One warning when a server starts failing (or fails differently), not one per retry.
    if (h.consecutiveFailures === 0 || h.lastError !== message) this.#log.warn({ server: watch.name, serverId: h.serverId, kind }, `reading the game server failed: ${message}`);
    Object.assign(h, { state: 'failing', lastError: message, lastErrorKind: kind, consecutiveFailures: h.consecutiveFailures + 1, ticks: h.ticks + 1 } satisfies Partial<ServerHealth>);
  }
}

/**
 * Carries a server's reading record over to its new watch (last reads, counts, lag). Not its errors:
 * new settings may have mended them, and the state says "waiting" until they are read.
 */
function keepHistory(into: ServerHealth, from: ServerHealth): void {
  const { lastSuccessAt, lastAttemptAt, ticks, rowsRead, malformedRows, skippedTicks, lagSeconds } = from;
  Object.assign(into, { lastSuccessAt, lastAttemptAt, ticks, rowsRead, malformedRows, skippedTicks, lagSeconds });
}
