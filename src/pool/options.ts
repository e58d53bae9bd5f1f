import { availableParallelism } from 'node:os';
import { PoolErrors } from './errors.js';

/**
 * How the pool is sized and behaves. Every field but `workerFile` has a default; the composition
 * root maps env vars onto these and names the worker entry.
 */
export interface PoolOptions {
  /**
   * The worker entry piscina loads: a module whose default export is `createDispatcher(table, threadId)`.
   * The pool knows no tasks of its own; a `.ts` entry is loaded through tsx.
   */
  workerFile: string | URL;
  /** Worker threads kept even when idle. Default 1. */
  minThreads?: number;
  /** Most worker threads at once. Default: the machine's available parallelism (at least 2). */
  maxThreads?: number;
  /** An idle thread above `minThreads` is stopped after this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Share of threads and I/O slots kept for CRITICAL/HIGH work (0..0.9). Default 0.25 (at least one when > 0). */
  interactiveShare?: number;
  /** I/O tasks running at once on the main thread. Default 8. */
  ioConcurrency?: number;
  /** Run-time limit for tasks that set none; 0 means none. Default 0. */
  defaultTimeoutMs?: number;
  /** Tasks running longer than this are logged at warn level. Default 5 s. */
  slowTaskMs?: number;
  /** Old-generation heap limit per worker thread, in MB. Default: Node's. */
  maxOldGenerationSizeMb?: number;
  /**
   * Added to the worker threads' nice value (0 to 19; Linux, through piscina's optional
   * `@napi-rs/nice`, ignored where missing). Default 0. Above 0, the main thread, which answers
   * callers and keeps the timers, wins the CPU from bulk work on a busy machine. Interactive
   * worker tasks are niced too: they still get a thread first (the reserve), and the nice value
   * matters only while the machine's cores are all busy.
   */
  workerNice?: number;
  /** Finished tasks kept in history. Default 10,000. */
  historySize?: number;
  /** A queued task's effective priority improves by one level per this long waited. Default 5 s. */
  agingMs?: number;
}

export type ResolvedPoolOptions = Required<Omit<PoolOptions, 'maxOldGenerationSizeMb'>> & Pick<PoolOptions, 'maxOldGenerationSizeMb'>;

/** Fills defaults and rejects impossible values, naming each bad field and what would do. */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  const resolved: ResolvedPoolOptions = {
    workerFile: options.workerFile,
    minThreads: options.minThreads ?? 1,
    maxThreads: options.maxThreads ?? Math.max(2, availableParallelism()),
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    interactiveShare: options.interactiveShare ?? 0.25,
    ioConcurrency: options.ioConcurrency ?? 8,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 0,
    slowTaskMs: options.slowTaskMs ?? 5_000,
    historySize: options.historySize ?? 10_000,
    agingMs: options.agingMs ?? 5_000,
    workerNice: options.workerNice ?? 0,
    ...(options.maxOldGenerationSizeMb === undefined ? {} : { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb }),
  };
  const problems = checkSizes(resolved);
  if (problems.length > 0) throw PoolErrors.badOption(`Bad task pool options: ${problems.join('; ')}.`);
  return resolved;
}

/** Validates the fields that `resize` may change too. */
export function checkSizes(o: Pick<ResolvedPoolOptions, 'minThreads' | 'maxThreads' | 'ioConcurrency' | 'interactiveShare'> & Partial<ResolvedPoolOptions>): string[] {
  const problems: string[] = [];
  const whole = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) problems.push(`${name} must be a whole number >= ${min} (got ${value})`);
  };
  whole('minThreads', o.minThreads, 0);
  whole('maxThreads', o.maxThreads, 1);
  whole('ioConcurrency', o.ioConcurrency, 1);
  whole('idleTimeoutMs', o.idleTimeoutMs, 0);
  whole('defaultTimeoutMs', o.defaultTimeoutMs, 0);
  whole('slowTaskMs', o.slowTaskMs, 0);
  whole('historySize', o.historySize, 0);
  whole('agingMs', o.agingMs, 0);
  whole('workerNice', o.workerNice, 0);
  if (o.workerNice !== undefined && o.workerNice > 19) problems.push(`workerNice must be from 0 to 19 (got ${o.workerNice})`);
  if (o.minThreads > o.maxThreads) problems.push(`minThreads (${o.minThreads}) must not exceed maxThreads (${o.maxThreads})`);
  if (!(o.interactiveShare >= 0 && o.interactiveShare <= 0.9)) problems.push(`interactiveShare must be between 0 and 0.9 (got ${o.interactiveShare})`);
  if (o.maxOldGenerationSizeMb !== undefined) whole('maxOldGenerationSizeMb', o.maxOldGenerationSizeMb, 16);
  return problems;
}

/** Slots kept for interactive work out of `total`: at least one when the share is above 0, never all. */
export function reservedSlots(total: number, share: number): number {
  if (share <= 0 || total <= 1) return 0;
  return Math.min(total - 1, Math.max(1, Math.round(total * share)));
}
