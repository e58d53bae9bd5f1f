import type { Logger } from '../logging/logger.js';
import type { IoFunction, TaskHandle, TaskOptions } from '../pool/index.js';
import type { ProductionTasks } from '../worker/index.js';
import { nextDelayMs, type ServerHealth } from './health.js';
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
}

type IoFunctionFor<T> = (watch: ServerWatch, ctx: Parameters<IoFunction<ProductionTasks, T>>[0]) => Promise<T>;

/** The lock and de-duplication key of everything that reads or rewrites one game server's figures. */
export function serverKey(serverId: string): string {
  return `server:${serverId}`;
}

/**
 * Runs a tick for every watched server at its interval, with jitter, capped exponential backoff after
 * failures and a health record per server. Ticks go through the pool as exclusive I/O jobs keyed by
 * server, so a tick never overlaps another tick or a history run of the same server; a tick that
 * finds the previous one still running is skipped and counted.
 */
export class TickScheduler {
  readonly #deps: Required<TickSchedulerDeps>;
  readonly #log: Logger;
  readonly #watches = new Map<string, { watch: ServerWatch; timer: NodeJS.Timeout | null }>();
  #stopped = false;

  constructor(deps: TickSchedulerDeps) {
    this.#deps = { backoffCapMs: 300_000, random: Math.random, now: Date.now, forget: () => Promise.resolve(), ...deps };
    this.#log = deps.logger.child({ module: 'scheduler' });
  }

  /** Starts watching a server: its first tick comes after a random part of its interval. */
  add(watch: ServerWatch): void {
    this.remove(watch.target.serverId);
    const entry = { watch, timer: null as NodeJS.Timeout | null };
    this.#watches.set(watch.target.serverId, entry);
    this.#schedule(entry, Math.round(this.#deps.random() * Math.min(watch.intervalMs, 5_000)));
  }

  /** Stops watching a server (a running tick finishes; no new one starts). */
  remove(serverId: string): void {
    const entry = this.#watches.get(serverId);
    if (entry?.timer) clearTimeout(entry.timer);
    if (entry) entry.watch.health.state = 'stopped';
    this.#watches.delete(serverId);
    if (!entry) return;
    // Under the server's lock: a tick still running would otherwise add its work after the writer
    // forgot the server, and the writer would hold it again for the life of the process.
    const { target } = entry.watch;
    this.#deps.pool.submitIo(() => this.#deps.forget(target), { label: 'forget', key: serverKey(serverId), exclusive: true, priority: 'HIGH', meta: { guildId: target.guildId, serverId } })
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
    for (const entry of this.#watches.values()) if (entry.timer) clearTimeout(entry.timer);
  }

  #schedule(entry: { watch: ServerWatch; timer: NodeJS.Timeout | null }, delayMs: number): void {
    if (this.#stopped || this.#watches.get(entry.watch.target.serverId) !== entry) return;
    entry.watch.health.nextTickAt = new Date(this.#deps.now() + delayMs).toISOString();
    entry.timer = setTimeout(() => {
      entry.timer = null;
      this.#fire(entry);
    }, delayMs);
    entry.timer.unref();
  }

  /**
   * Fires on the server's cadence whether or not the last tick has finished: one still queued or
   * running makes this one a counted skip, never a second reader (a history run holds the server's
   * lock, so the tick queued behind it absorbs the ticks due meanwhile).
   */
  #fire(entry: { watch: ServerWatch; timer: NodeJS.Timeout | null }): void {
    const { health } = entry.watch;
    if (this.#submit(entry, 'NORMAL').disposition === 'skipped') health.skippedTicks += 1;
    this.#schedule(entry, nextDelayMs(entry.watch.intervalMs, health.consecutiveFailures, this.#deps.backoffCapMs, this.#deps.random));
  }

  #submit(entry: { watch: ServerWatch }, priority: 'NORMAL' | 'HIGH'): TaskHandle<TickReport> {
    const { watch } = entry;
    const handle = this.#deps.pool.submitIo((ctx) => this.#deps.tick(watch, ctx), {
      label: 'tick', key: serverKey(watch.target.serverId), exclusive: true, dedupe: priority === 'HIGH' ? 'join' : 'skip', priority,
      meta: { guildId: watch.target.guildId, serverId: watch.target.serverId, server: watch.name },
    });
    if (handle.disposition === 'started') {
      watch.health.state = 'reading';
      watch.health.lastAttemptAt = new Date(this.#deps.now()).toISOString();
      handle.result.then((report) => this.#succeeded(watch, report), (error: unknown) => this.#failed(watch, error));
    }
    return handle;
  }

  #succeeded(watch: ServerWatch, report: TickReport): void {
    const h = watch.health;
    // A tick that ends after its server was removed must not bring the record back to life.
    if (this.#watches.get(h.serverId)?.watch !== watch) return;
    if (h.consecutiveFailures > 0) this.#log.info({ server: watch.name, serverId: h.serverId, failures: h.consecutiveFailures }, 'game server readable again');
    // Located, so an admin can look at the row: the figures only count it.
    for (const m of report.malformedSample) this.#log.warn({ server: watch.name, serverId: h.serverId, file: m.file, line: m.line, excerpt: m.excerpt }, `malformed death-log row: ${m.reason}`);
    Object.assign(h, {
      state: 'ok', lastSuccessAt: new Date(this.#deps.now()).toISOString(), lastError: null, lastErrorKind: null,
      consecutiveFailures: 0, ticks: h.ticks + 1, rowsRead: h.rowsRead + report.rows, malformedRows: h.malformedRows + report.malformed,
    } satisfies Partial<ServerHealth>);
    if (report.lagSeconds !== null) h.lagSeconds = report.lagSeconds;
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
