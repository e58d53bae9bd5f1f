import { MongoNetworkError, MongoServerSelectionError, MongoError } from 'mongodb';
import type { Logger } from '../logging/logger.js';

/** How the writer waits out transient database errors. */
export interface RetryOptions {
  /** First wait after a failure. */
  initialMs: number;
  /** The waits double up to this. */
  maxMs: number;
  /** Give up (and fail the writer) when the database has been failing this long. */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { initialMs: 100, maxMs: 2_000, giveUpAfterMs: 15 * 60_000 };

/** Server error codes that mean "not now" (failover, shutdown, timeouts), not "wrong". */
const TRANSIENT_CODES = new Set([6, 7, 64, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'SystemOverloadedError'];

/** True for errors worth retrying: the network, server selection, failover. Programming errors are not. */
function isTransient(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (!(error instanceof MongoError)) return false;
  if (TRANSIENT_LABELS.some((label) => error.hasErrorLabel(label))) return true;
  if (typeof error.code === 'number' && TRANSIENT_CODES.has(error.code)) return true;
  const nested = error as MongoError & { writeErrors?: { code?: number }[]; writeConcernError?: { code?: number } };
  const codes = [...(nested.writeErrors ?? []).map((w) => w.code), nested.writeConcernError?.code];
  return codes.some((c) => typeof c === 'number' && TRANSIENT_CODES.has(c));
}

/**
 * Runs database calls with capped exponential backoff on transient errors, and tells the log about an
 * outage once: one warning when calls start failing, one info line when they succeed again.
 */
export class OutageGuard {
  #since: number | null = null;
  #failures = 0;

  constructor(private readonly logger: Logger, private readonly options: RetryOptions) {}

  /** True while the database is failing. */
  get down(): boolean { return this.#since !== null; }

  async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    let wait = this.options.initialMs;
    for (;;) {
      try {
        const result = await call();
        this.#recovered();
        return result;
      } catch (error) {
        if (!isTransient(error)) throw error;
        this.#failed(what, error);
        if (Date.now() - (this.#since ?? Date.now()) > this.options.giveUpAfterMs) {
          throw new Error(`The database has been unreachable for over ${Math.round(this.options.giveUpAfterMs / 1000)} s; giving up on ${what}.`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, this.options.maxMs);
      }
    }
  }

  #failed(what: string, error: unknown): void {
    this.#failures += 1;
    if (this.#since !== null) return;
    this.#since = Date.now();
    const reason = error instanceof Error ? error.name : 'unknown';
    this.logger.warn({ during: what, reason }, 'database unreachable; holding writes in memory and retrying');
  }

  #recovered(): void {
    if (this.#since === null) return;
    const downMs = Date.now() - this.#since;
    this.logger.info({ downMs, failedAttempts: this.#failures }, 'database reachable again; writes resumed');
    this.#since = null;
    this.#failures = 0;
  }
}
