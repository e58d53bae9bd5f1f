import type { PackedSummary, StatsSummary } from '../../parsers/index.js';
import type { Logger } from '../logging/logger.js';
import { addPackedInSteps, addSummary, emptyTally, type BatchTally } from './batch-tally.js';
import type { StoreContext } from './context.js';
import type { CursorDoc, PendingDoc, RecentEventDoc } from './documents.js';
import { advance, applyPending, loadState, recordPending, type IngestState, type ServerKey } from './ingest-state.js';
import { checkTarget, fromCursorDoc, toCursorDoc, type FileCursor, type IngestTarget, type RecentEvent } from './ingest-target.js';
import { DEFAULT_RETRY, OutageGuard, type RetryOptions } from './retry.js';
import { contextOf, type Store } from './store.js';
import { resetServer } from './ingest-reset.js';
import { loadPlayerNumbers, type PlayerNumbers } from './player-numbers.js';
import { readStreakBases } from './streak-bases.js';
import { runStepsYielding } from './steps.js';
import { PendingUnreadableError } from './errors.js';
import { encodeTallyInSteps } from './tally-codec.js';
import { PART_BYTES, storePendingBody } from './pending-parts.js';

/** What one parsed chunk contributes: its stats, where its files' reading got to, its latest events. */
export interface IngestWork {
  summary: StatsSummary;
  /** The players' and days' figures packed by a worker (history runs); `summary` then adds totals and times. */
  packed?: PackedSummary;
  cursors: readonly FileCursor[];
  recentEvents?: readonly RecentEvent[];
}

export interface IngestWriterOptions {
  /**
   * Flush when this many rows are buffered (all servers together); also the most rows one batch holds.
   * 1 to 2,000,000; 25,000 by default. A history run can pass a few hundred thousand: a batch's cost
   * grows with the players and days it touches, not with its rows.
   */
  flushRows?: number;
  /**
   * The most one batch's pending record may hold (its encoded figures, bounded from above as they
   * grow): killer-victim pairs can number one per row, and the record must stay far below MongoDB's
   * 16 MB document limit.
   * 64 KiB to 12 MiB; 12 MiB by default (a 2,000-player server's batch of 200,000 rows has a record of
   * about 3 MB, half of it killer-victim segments).
   */
  maxBatchBytes?: number;
  /** Pending records bigger than this are written in parts of this size (pending-parts.ts). 1 KiB to 1 MiB; 512 KiB by default. */
  partBytes?: number;
  /** Flush rows that have waited this long. */
  flushMs?: number;
  /** Memory bound: `add` waits while this many rows are buffered or being written. At least 2 x flushRows. */
  maxBufferedRows?: number;
  /** Recent events kept per server. */
  recentLimit?: number;
  retry?: Partial<RetryOptions>;
  logger: Logger;
  /**
   * Called once if the writer stops for good (a batch failed past its retries, or not transiently).
   * The composition root shuts the bot down so a supervisor restarts it from the durable cursors.
   */
  onStopped?: (error: Error) => void;
}

/**
 * Buffers parsed work per game server and writes it in batches, exactly once (see ingest-state.ts).
 *
 * Why aggregates, not rows: each batch becomes one bulkWrite of upserts on per-player and
 * per-player-day documents (weapons and killer-victim counts are maps inside them), so writes grow with
 * the players and days a batch touches, not with its rows; a history run of a million rows is about
 * 230 round trips (most of them apply chunks, see ingest-state.ts). Single events are
 * kept only as a bounded recent list per server (killfeed history, last kills).
 */
export interface IngestWriter {
  /** Finishes a batch a crash left pending, then returns the durable cursors: where reading resumes. */
  resume(target: IngestTarget): Promise<FileCursor[]>;
  /**
   * Writes what is buffered, then forgets the server's figures and read positions (here and in the
   * database), for a history run that rebuilds them. Call it while holding the server's lock.
   */
  reset(target: IngestTarget): Promise<void>;
  /** Accepts work into the buffer; waits while the buffer is full (back-pressure). Durable after `flush`. */
  add(target: IngestTarget, work: IngestWork): Promise<void>;
  /** Resolves when everything added so far is durable. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

/** What the writer keeps per game server: its ingest state, and its players' numbers. */
interface ServerState extends IngestState {
  numbers: PlayerNumbers;
}

interface Buffered {
  key: ServerKey;
  tally: BatchTally;
  cursors: Map<string, FileCursor>;
  recent: RecentEvent[];
  rows: number;
  /** Chunks being folded in now (in steps): the batch is not taken for writing until they are in. */
  merging: number;
}

const MAX_FLUSH_ROWS = 2_000_000;
const MIN_BATCH_BYTES = 64 * 1024;
const MAX_BATCH_BYTES = 12 * 1024 * 1024;

export function createIngestWriter(store: Store, options: IngestWriterOptions): IngestWriter {
  return new BatchingWriter(contextOf(store), options);
}

class BatchingWriter implements IngestWriter {
  readonly #flushRows: number;
  readonly #maxBatchBytes: number;
  readonly #partBytes: number;
  readonly #flushMs: number;
  readonly #maxRows: number;
  readonly #recentLimit: number;
  readonly #guard: OutageGuard;
  readonly #logger: Logger;
  readonly #onStopped: ((error: Error) => void) | undefined;
  readonly #states = new Map<string, Promise<ServerState>>();
  /** Per server, the merge in progress (merges of one server run one after another). */
  readonly #merges = new Map<string, Promise<void>>();
  /** Calls of `add` not yet returned: a flush includes them. */
  readonly #adds = new Set<Promise<void>>();
  #buffer = new Map<string, Buffered[]>();
  #bufferedRows = 0;
  #inflightRows = 0;
  #due = false;
  #timer: NodeJS.Timeout | null = null;
  #draining: Promise<void> | null = null;
  #waiters: (() => void)[] = [];
  #failure: Error | null = null;
  /** The most one `add` raised a tally's byte bound so far: a batch closes while the next still fits. */
  #chunkBytes = 0;

  constructor(private readonly ctx: StoreContext, o: IngestWriterOptions) {
    this.#flushRows = wholeOption('flushRows', o.flushRows ?? 25_000, 1, MAX_FLUSH_ROWS);
    this.#maxBatchBytes = wholeOption('maxBatchBytes', o.maxBatchBytes ?? MAX_BATCH_BYTES, MIN_BATCH_BYTES, MAX_BATCH_BYTES);
    this.#partBytes = wholeOption('partBytes', o.partBytes ?? PART_BYTES, 1024, 1024 * 1024);
    this.#flushMs = o.flushMs ?? 2_000;
    this.#maxRows = Math.max(o.maxBufferedRows ?? 100_000, 2 * this.#flushRows);
    this.#recentLimit = o.recentLimit ?? 50;
    this.#logger = o.logger.child({ module: 'ingest-writer' });
    this.#onStopped = o.onStopped;
    this.#guard = new OutageGuard(this.#logger, { ...DEFAULT_RETRY, ...o.retry });
  }

  async resume(target: IngestTarget): Promise<FileCursor[]> {
    checkTarget(this.ctx, target);
    return (await this.#state(target)).cursors.map(fromCursorDoc);
  }

  add(target: IngestTarget, work: IngestWork): Promise<void> {
    const adding = this.#add(target, work);
    this.#adds.add(adding);
    void adding.then(() => this.#adds.delete(adding), () => this.#adds.delete(adding));
    return adding;
  }

  async #add(target: IngestTarget, work: IngestWork): Promise<void> {
    checkTarget(this.ctx, target);
    // The server's player numbers are needed to fold the work (killer-victim counts refer to them);
    // loaded once per server, usually already by `resume`.
    const { numbers } = await this.#state(target).catch((error: unknown) => {
      // A record this version cannot read is that server's problem, said plainly; anything else is
      // the database gone past the retry window.
      if (error instanceof PendingUnreadableError) throw error;
      this.#stop(error, 'its state could not be loaded');
      throw this.#stoppedError();
    });
    const rows = work.summary.totals.rows;
    while (this.#bufferedRows + this.#inflightRows > 0 && this.#bufferedRows + this.#inflightRows + rows > this.#maxRows) {
      this.#throwIfFailed();
      this.#due = true;
      this.#kick();
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#throwIfFailed();
    const entry = await this.#merge(target, work, rows, numbers);
    if (this.#due || this.#bufferedRows >= this.#flushRows || this.#full(entry) || this.#hasClosed()) this.#kick();
    else this.#timer ??= setTimeout(() => { this.#timer = null; this.#due = true; this.#kick(); }, this.#flushMs);
  }

  async reset(target: IngestTarget): Promise<void> {
    checkTarget(this.ctx, target);
    await this.flush();
    this.#states.delete(target.serverId);
    await this.#guard.run('resetting a server', () => resetServer(this.ctx, target.guildId, target.serverId));
  }

  async flush(): Promise<void> {
    // Work handed to `add` before this call is part of it, even while it still waits to be folded in.
    await Promise.allSettled([...this.#adds]);
    while (this.#buffer.size > 0 || this.#draining || this.#merges.size > 0) {
      this.#throwIfFailed();
      await Promise.all(this.#merges.values());
      this.#due = true;
      this.#kick();
      await this.#draining;
    }
    this.#throwIfFailed();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  /** Merges into the server's open batch, after any merge of the same server still in progress. */
  #merge(target: IngestTarget, work: IngestWork, rows: number, numbers: PlayerNumbers): Promise<Buffered> {
    const serverId = target.serverId;
    const run = (this.#merges.get(serverId) ?? Promise.resolve()).then(() => this.#mergeNow(target, work, rows, numbers));
    const settled = run.then(() => undefined, () => undefined);
    this.#merges.set(serverId, settled);
    void settled.then(() => { if (this.#merges.get(serverId) === settled) this.#merges.delete(serverId); });
    return run;
  }

  /**
   * A batch that reached flushRows rows or maxBatchBytes is closed first, so no pending record
   * outgrows its bound by more than one chunk's figures. A packed chunk is folded in steps, yielding
   * to the event loop between them; its rows count at once (back-pressure), its cursors once it is
   * all in, and the batch is not written before that.
   */
  async #mergeNow(target: IngestTarget, work: IngestWork, rows: number, numbers: PlayerNumbers): Promise<Buffered> {
    const queue = this.#buffer.get(target.serverId) ?? [];
    this.#buffer.set(target.serverId, queue);
    let entry = queue.at(-1);
    if (!entry || this.#full(entry)) {
      entry = { key: { guildId: target.guildId, serverId: target.serverId }, tally: emptyTally(), cursors: new Map(), recent: [], rows: 0, merging: 0 };
      queue.push(entry);
    }
    // Counted from the start, so back-pressure sees chunks still being folded in.
    entry.rows += rows;
    this.#bufferedRows += rows;
    entry.merging += 1;
    try {
      const before = entry.tally.bytes;
      addSummary(entry.tally, work.summary, numbers);
      if (work.packed) await runStepsYielding(addPackedInSteps(entry.tally, work.packed, numbers));
      this.#chunkBytes = Math.max(this.#chunkBytes, entry.tally.bytes - before);
      for (const c of work.cursors) entry.cursors.set(c.file, c);
      if (work.recentEvents) entry.recent = [...entry.recent, ...work.recentEvents].slice(-this.#recentLimit);
    } catch (error) {
      // Half a chunk's figures without its cursors must never be written: its rows would be read
      // and counted again after a restart. Nothing more is written; the bot restarts from the
      // durable cursors.
      this.#stop(error, 'a chunk could not be folded into its batch');
      throw this.#stoppedError();
    } finally {
      entry.merging -= 1;
    }
    return entry;
  }

  #full(entry: Buffered): boolean {
    // The byte bound is exact for packed segments (most of a history batch) and at most about 3x
    // for the rest; closing while one more chunk like the largest so far fits keeps the record
    // under maxBatchBytes without encoding it to measure.
    return entry.rows >= this.#flushRows || entry.tally.bytes + this.#chunkBytes > this.#maxBatchBytes;
  }

  #kick(): void {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
      // A batch that closed after the last look would otherwise wait for the timer.
      if (this.#failure === null && this.#hasClosed()) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    try {
      for (let ready = this.#takeReady(); ready.length > 0; ready = this.#takeReady()) {
        for (const entry of ready) {
          await this.#commit(entry);
          this.#inflightRows -= entry.rows;
          this.#wake();
        }
      }
    } catch (error) {
      this.#stop(error, 'a batch could not be written');
    }
  }

  /** Stops for good, once: callers get a plain error, the owner hears it (and restarts the bot). */
  #stop(error: unknown, why: string): void {
    if (this.#failure !== null) return;
    this.#failure = error instanceof Error ? error : new Error(String(error));
    this.#logger.error({ err: this.#failure }, `ingest writer stopped: ${why}`);
    this.#wake();
    this.#onStopped?.(this.#failure);
  }

  /**
   * Takes what is to be written now: every closed batch as soon as it closes (a history run's batches
   * then go out one by one while parsing goes on), and the open ones too when due (a flush, the
   * timer, back-pressure) or when flushRows rows wait in all.
   */
  #takeReady(): Buffered[] {
    const due = this.#due || this.#bufferedRows >= this.#flushRows;
    this.#due = false;
    const ready: Buffered[] = [];
    for (const [serverId, queue] of this.#buffer) {
      const last = queue.at(-1);
      // Only the last batch can be taking in a chunk; it waits until the chunk is all in, and a due
      // write stays due for when it is (the merge kicks the writer then).
      const merging = last !== undefined && last.merging > 0;
      if (merging && due) this.#due = true;
      const take = merging ? queue.length - 1 : due || (last && this.#full(last)) ? queue.length : queue.length - 1;
      ready.push(...queue.splice(0, take));
      if (queue.length === 0) this.#buffer.delete(serverId);
    }
    for (const entry of ready) {
      this.#bufferedRows -= entry.rows;
      this.#inflightRows += entry.rows;
    }
    if (this.#buffer.size === 0 && this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    return ready;
  }

  #hasClosed(): boolean {
    for (const queue of this.#buffer.values()) if (queue.length > 1) return true;
    return false;
  }

  async #commit(entry: Buffered): Promise<void> {
    const state = await this.#state(entry.key);
    await this.#guard.run('reading streaks', () => readStreakBases(this.ctx, entry.key, entry.tally));
    const cursors = new Map<string, CursorDoc>(state.cursors.map((c) => [c.file, c]));
    for (const c of entry.cursors.values()) cursors.set(c.file, toCursorDoc(c));
    const body = await encodeTallyInSteps(entry.tally);
    const seq = state.seq + 1;
    const pending = await this.#guard.run('recording a batch', async () => {
      const record: PendingDoc = {
        seq,
        ...(await storePendingBody(this.ctx, entry.key, seq, body, this.#partBytes)),
        lastPlayerNo: state.numbers.last,
        cursors: [...cursors.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
        recent: [...state.recent, ...entry.recent.map(plainEvent)].slice(-this.#recentLimit),
      };
      await recordPending(this.ctx, entry.key, record);
      return record;
    });
    await this.#finish(entry.key, state, pending, entry.tally);
  }

  /** Steps 2 and 3 of a batch, also used to finish one a crash left pending (then `tally` is decoded from it). */
  async #finish(key: ServerKey, state: IngestState, pending: PendingDoc, tally?: BatchTally): Promise<void> {
    await this.#guard.run('applying a batch', () => applyPending(this.ctx, key, pending, tally));
    await this.#guard.run('advancing cursors', () => advance(this.ctx, key, pending));
    Object.assign(state, { seq: pending.seq, cursors: pending.cursors, recent: pending.recent, pending: null, lastPlayerNo: Math.max(state.lastPlayerNo, pending.lastPlayerNo ?? 0) });
  }

  #state(key: ServerKey): Promise<ServerState> {
    let state = this.#states.get(key.serverId);
    if (!state) {
      state = this.#guard.run('loading ingest state', () => loadState(this.ctx, key)).then(async (loaded) => {
        if (loaded.pending) {
          this.#logger.info({ serverId: key.serverId, seq: loaded.pending.seq }, 'finishing a batch left pending by an earlier run');
          await this.#finish(key, loaded, loaded.pending);
        }
        // After a pending batch is finished: it may number players for the first time.
        const numbers = await this.#guard.run('loading player numbers', () => loadPlayerNumbers(this.ctx, key, loaded.lastPlayerNo));
        return Object.assign(loaded, { numbers });
      });
      state.catch(() => this.#states.delete(key.serverId));
      this.#states.set(key.serverId, state);
    }
    return state;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#stoppedError();
  }

  #stoppedError(): Error {
    return new Error('The ingest writer stopped after a database error; restart to resume from the durable cursors.', { cause: this.#failure });
  }
}

/** A writer option checked: a whole number within its bounds, or an error naming it. */
function wholeOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${value}).`);
  return value;
}

function plainEvent(e: RecentEventDoc): RecentEventDoc {
  return {
    file: e.file, line: e.line, time: e.time, kind: e.kind, killerId: e.killerId, killerName: e.killerName,
    victimId: e.victimId, victimName: e.victimName, weapon: e.weapon, distance: e.distance,
  };
}
