import type { PackedSummary, StatsSummary } from '../../parsers/index.js';
import type { Logger } from '../logging/logger.js';
import { addPackedInSteps, addSummary, emptyTally, type BatchTally } from './batch-tally.js';
import type { StoreContext } from './context.js';
import type { CursorDoc, PendingDoc, RecentEventDoc, ServerKey } from './documents.js';
import { advance, applyPending, loadState, recordPending, type IngestState } from './ingest-state.js';
import { checkTarget, fromCursorDoc, toCursorDoc, type FileCursor, type IngestTarget, type RecentEvent } from './ingest-target.js';
import { DEFAULT_RETRY, OutageGuard, type RetryOptions } from './retry.js';
import { contextOf, type Store } from './store.js';
import { resetServer } from './ingest-reset.js';
import { loadPlayerNumbers, type PlayerNumbers } from './player-numbers.js';
import { readStreakBases } from './streak-bases.js';
import { runStepsYielding } from './steps.js';
import { PendingUnreadableError } from './errors.js';
import { encodeTally } from './tally-codec.js';
import { mergeDaySegments } from './segment-merge.js';
import { feedEntries } from './feed-entries.js';
import { dropTombstones, insertOutbox, type FeedDraft, type OutboxPurpose } from './outbox.js';
import { dropPendingParts, PART_BYTES, storePendingBody } from './pending-parts.js';

/** What one parsed chunk contributes: its stats, where its files' reading got to, its latest events. */
export interface IngestWork {
  summary: StatsSummary;
  /** The players' and days' figures packed by a worker (history runs); `summary` then adds totals and times. */
  packed?: PackedSummary;
  cursors: readonly FileCursor[];
  recentEvents?: readonly RecentEvent[];
  /** Feed items of live ticks, in file order: made durable with the batch that counts them (outbox.ts). */
  feed?: readonly FeedDraft[];
}

export interface IngestWriterOptions {
  /**
   * The most rows one batch holds. 1 to 2,000,000; 25,000 by default. A history run can pass a few
   * hundred thousand: a batch's cost grows with the players and days it touches, not with its rows.
   */
  flushRows?: number;
  /**
   * The most one batch's encoded figures may take (bounded from above as they grow): killer-victim
   * pairs can number one per row, and a batch is held in memory and written as one pending body.
   * 64 KiB to 12 MiB; 12 MiB by default.
   */
  maxBatchBytes?: number;
  /** Pending records bigger than this are written in parts of this size (pending-parts.ts). 1 KiB to 1 MiB; 512 KiB by default. */
  partBytes?: number;
  /** Flush rows that have waited this long. */
  flushMs?: number;
  /** Memory bound per game server: `add` waits while this many of its rows are buffered or being written. At least 2 x flushRows. */
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
  /** Told after a batch with feed items is durable: the poster takes them from the outbox. */
  onOutbox?: (guildId: string, purposes: readonly OutboxPurpose[]) => void;
}

/**
 * Buffers parsed work per game server and writes it in batches, exactly once (see ingest-state.ts);
 * each server's batches are written one after another, independently of the other servers'.
 *
 * Why aggregates, not rows: each batch becomes bulkWrites of upserts on per-player and
 * per-player-day documents (weapons and killer-victim counts ride inside them), so writes grow with
 * the players and days a batch touches, not with its rows. Single events are kept only as a bounded
 * recent list per server (killfeed history, last kills).
 */
export interface IngestWriter {
  /** Finishes a batch a crash left pending, then returns the durable cursors: where reading resumes. */
  resume(target: IngestTarget): Promise<FileCursor[]>;
  /**
   * Writes what is buffered, then forgets the server's figures and read positions (here and in the
   * database), for a history run that rebuilds them. Call it while holding the server's lock.
   */
  reset(target: IngestTarget): Promise<void>;
  /** Accepts work into the buffer; waits while the server's buffer is full (back-pressure). Durable after `flush`. */
  add(target: IngestTarget, work: IngestWork): Promise<void>;
  /**
   * Resolves when everything added so far for `target` is durable; for every server when no target
   * is given (shutdown). A tick flushes its own server only: another server's history run, however
   * long, does not hold it up.
   */
  flush(target?: IngestTarget): Promise<void>;
  /** Writes what is buffered for the server, then drops all the writer keeps for it: call it when the server is no longer watched. */
  forget(target: IngestTarget): Promise<void>;
  /** How many game servers the writer keeps anything for (state, player numbers, buffered work). */
  serversHeld(): number;
  /** Flushes every server and stops the timers. */
  close(): Promise<void>;
}

/** What the writer keeps per game server: its ingest state, and its players' numbers. */
interface ServerState extends IngestState {
  numbers: PlayerNumbers;
}

/** One game server's work in the writer, dropped as soon as it has none: servers are written independently. */
interface Lane {
  key: ServerKey;
  /** Batches not yet taken for writing, oldest first; only the last one takes in chunks. */
  batches: Buffered[];
  /** The server's rows added and not yet durable (back-pressure). */
  rows: number;
  /** The last call of `add` not yet returned: a server's chunks are taken in one after another, and a flush includes them. */
  adding: Promise<void> | null;
  /** The writing of the server's batches, one after another, while under way. */
  writing: Promise<void> | null;
  /** Write the open batch too at the next look (a flush, the timer, back-pressure). */
  due: boolean;
  timer: NodeJS.Timeout | null;
  /** Calls of `add` waiting for room. */
  waiters: (() => void)[];
}

interface Buffered {
  tally: BatchTally;
  cursors: Map<string, FileCursor>;
  recent: RecentEvent[];
  feed: FeedDraft[];
  rows: number;
  /** Chunks being folded in now (in steps): the batch is not taken for writing until they are in. */
  merging: number;
  /** The most one chunk raised this batch's byte bound: it closes while one more like it still fits. */
  chunkBytes: number;
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
  readonly #onOutbox: IngestWriterOptions['onOutbox'];
  readonly #states = new Map<string, Promise<ServerState>>();
  readonly #lanes = new Map<string, Lane>();
  #failure: Error | null = null;

  constructor(private readonly ctx: StoreContext, o: IngestWriterOptions) {
    this.#flushRows = wholeOption('flushRows', o.flushRows ?? 25_000, 1, MAX_FLUSH_ROWS);
    this.#maxBatchBytes = wholeOption('maxBatchBytes', o.maxBatchBytes ?? MAX_BATCH_BYTES, MIN_BATCH_BYTES, MAX_BATCH_BYTES);
    this.#partBytes = wholeOption('partBytes', o.partBytes ?? PART_BYTES, 1024, 1024 * 1024);
    this.#flushMs = o.flushMs ?? 2_000;
    this.#maxRows = Math.max(o.maxBufferedRows ?? 100_000, 2 * this.#flushRows);
    this.#recentLimit = o.recentLimit ?? 50;
    this.#logger = o.logger.child({ module: 'ingest-writer' });
    this.#onStopped = o.onStopped;
    this.#onOutbox = o.onOutbox;
    this.#guard = new OutageGuard(this.#logger, { ...DEFAULT_RETRY, ...o.retry });
  }

  async resume(target: IngestTarget): Promise<FileCursor[]> {
    checkTarget(this.ctx, target);
    return (await this.#state(target)).cursors.map(fromCursorDoc);
  }

  add(target: IngestTarget, work: IngestWork): Promise<void> {
    const lane = this.#lane(target);
    const adding = (lane.adding ?? Promise.resolve()).then(() => this.#add(target, lane, work));
    const settled = adding.then(() => undefined, () => undefined);
    lane.adding = settled;
    void settled.then(() => {
      if (lane.adding !== settled) return;
      lane.adding = null;
      this.#settle(lane);
    });
    return adding;
  }

  async #add(target: IngestTarget, lane: Lane, work: IngestWork): Promise<void> {
    checkTarget(this.ctx, target);
    // The server's player numbers are needed to fold the work (killer-victim counts refer to them);
    // loaded once per server, usually already by `resume`.
    const { numbers } = await this.#state(target).catch((error: unknown) => {
      // A record that cannot be read back is that server's problem, said plainly; anything else is
      // the database gone past the retry window.
      if (error instanceof PendingUnreadableError) throw error;
      this.#stop(error, 'its state could not be loaded');
      throw this.#stoppedError();
    });
    const rows = work.summary.totals.rows;
    while (lane.rows > 0 && lane.rows + rows > this.#maxRows) {
      this.#throwIfFailed();
      lane.due = true;
      this.#kick(lane);
      await new Promise<void>((resolve) => lane.waiters.push(resolve));
    }
    this.#throwIfFailed();
    const entry = await this.#merge(lane, work, rows, numbers);
    if (lane.due || this.#full(entry) || lane.batches.length > 1) this.#kick(lane);
    else lane.timer ??= setTimeout(() => { lane.timer = null; lane.due = true; this.#kick(lane); }, this.#flushMs);
  }

  async reset(target: IngestTarget): Promise<void> {
    await this.forget(target);
    await this.#guard.run('resetting a server', () => resetServer(this.ctx, target.guildId, target.serverId));
  }

  async flush(target?: IngestTarget): Promise<void> {
    if (target) checkTarget(this.ctx, target);
    const lanes = target ? [this.#lanes.get(target.serverId)] : [...this.#lanes.values()];
    await Promise.all(lanes.map((lane) => lane && this.#flushLane(lane)));
    this.#throwIfFailed();
  }

  async forget(target: IngestTarget): Promise<void> {
    checkTarget(this.ctx, target);
    // Work added while the server's lane is flushed joins it; the lane goes when it is empty.
    for (let lane = this.#lanes.get(target.serverId); lane; lane = this.#lanes.get(target.serverId)) {
      await this.#flushLane(lane);
      this.#settle(lane);
    }
    this.#throwIfFailed();
    // A load still under way (finishing a pending batch, deleting leftover parts) ends first: its
    // late delete of parts must not meet a batch a later load of this server is recording.
    await this.#states.get(target.serverId)?.catch(() => undefined);
    this.#states.delete(target.serverId);
  }

  serversHeld(): number {
    return new Set([...this.#states.keys(), ...this.#lanes.keys()]).size;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      for (const lane of this.#lanes.values()) if (lane.timer) clearTimeout(lane.timer);
    }
  }

  #lane(target: IngestTarget): Lane {
    let lane = this.#lanes.get(target.serverId);
    if (!lane) {
      lane = { key: { guildId: target.guildId, serverId: target.serverId }, batches: [], rows: 0, adding: null, writing: null, due: false, timer: null, waiters: [] };
      this.#lanes.set(target.serverId, lane);
    }
    return lane;
  }

  /** Drops the lane once nothing of its server is being added, buffered or written. */
  #settle(lane: Lane): void {
    if (lane.adding || lane.batches.length > 0 || lane.writing) return;
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = null;
    if (this.#lanes.get(lane.key.serverId) === lane) this.#lanes.delete(lane.key.serverId);
  }

  async #flushLane(lane: Lane): Promise<void> {
    // Work handed to `add` before this call is part of it, even while it still waits to be folded in.
    while (lane.adding || lane.batches.length > 0 || lane.writing) {
      this.#throwIfFailed();
      await lane.adding;
      lane.due = true;
      this.#kick(lane);
      await lane.writing;
    }
  }

  /**
   * A batch that reached flushRows rows or maxBatchBytes is closed first, so no pending record
   * outgrows its bound by more than one chunk's figures. A packed chunk is folded in steps, yielding
   * to the event loop between them; its rows count at once (back-pressure), its cursors once it is
   * all in, and the batch is not written before that.
   */
  async #merge(lane: Lane, work: IngestWork, rows: number, numbers: PlayerNumbers): Promise<Buffered> {
    let entry = lane.batches.at(-1);
    if (!entry || this.#full(entry)) {
      entry = { tally: emptyTally(), cursors: new Map(), recent: [], feed: [], rows: 0, merging: 0, chunkBytes: 0 };
      lane.batches.push(entry);
    }
    // Counted from the start, so back-pressure sees chunks still being folded in.
    entry.rows += rows;
    lane.rows += rows;
    entry.merging += 1;
    try {
      const before = entry.tally.bytes;
      addSummary(entry.tally, work.summary, numbers);
      if (work.packed) await runStepsYielding(addPackedInSteps(entry.tally, work.packed, numbers));
      entry.chunkBytes = Math.max(entry.chunkBytes, entry.tally.bytes - before);
      for (const c of work.cursors) entry.cursors.set(c.file, c);
      if (work.feed) entry.feed.push(...work.feed);
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
    return entry.rows >= this.#flushRows || entry.tally.bytes + entry.chunkBytes > this.#maxBatchBytes;
  }

  #kick(lane: Lane): void {
    lane.writing ??= this.#drain(lane).finally(() => {
      lane.writing = null;
      // A batch that closed after the last look would otherwise wait for the timer.
      if (this.#failure === null && this.#writable(lane) > 0) this.#kick(lane);
      else this.#settle(lane);
    });
  }

  async #drain(lane: Lane): Promise<void> {
    try {
      for (let ready = this.#takeReady(lane); ready.length > 0; ready = this.#takeReady(lane)) {
        for (const entry of ready) {
          await this.#commit(lane.key, entry);
          lane.rows -= entry.rows;
          this.#wake(lane);
        }
      }
    } catch (error) {
      this.#stop(error, 'a batch could not be written');
    }
  }

  /**
   * How many of the server's batches are to be written now: every closed batch as soon as it
   * closes (a history run's batches then go out one by one while parsing goes on), and the open one
   * too when due (a flush, the timer, back-pressure) or full, once no chunk is going into it.
   */
  #writable(lane: Lane): number {
    const last = lane.batches.at(-1);
    if (!last) return 0;
    if (last.merging > 0) return lane.batches.length - 1;
    return lane.due || this.#full(last) ? lane.batches.length : lane.batches.length - 1;
  }

  #takeReady(lane: Lane): Buffered[] {
    if (this.#failure !== null) return [];
    const ready = lane.batches.splice(0, this.#writable(lane));
    // A due write stays due while the open batch takes in a chunk (its merge kicks the writer then).
    lane.due &&= (lane.batches.at(-1)?.merging ?? 0) > 0;
    if (lane.batches.length === 0 && lane.timer) {
      clearTimeout(lane.timer);
      lane.timer = null;
    }
    return ready;
  }

  async #commit(key: ServerKey, entry: Buffered): Promise<void> {
    const state = await this.#state(key);
    await this.#guard.run('reading streaks', () => readStreakBases(this.ctx, key, entry.tally));
    const cursors = new Map<string, CursorDoc>(state.cursors.map((c) => [c.file, c]));
    for (const c of entry.cursors.values()) cursors.set(c.file, toCursorDoc(c));
    // Streaks after each kill need the stored bases just read; the items then ride in the record.
    const feed = entry.feed.length > 0 ? { at: Date.now(), entries: feedEntries(entry.tally, entry.feed) } : null;
    const body = await encodeTally(entry.tally);
    const seq = state.seq + 1;
    const pending = await this.#guard.run('recording a batch', async () => {
      const record: PendingDoc = {
        seq,
        ...(await storePendingBody(this.ctx, key, seq, body, this.#partBytes)),
        lastPlayerNo: state.numbers.last,
        cursors: [...cursors.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
        recent: [...state.recent, ...entry.recent.map(plainEvent)].slice(-this.#recentLimit),
        ...(feed ? { feed } : {}),
      };
      await recordPending(this.ctx, key, record);
      return record;
    });
    await this.#finish(key, state, pending, entry.tally);
  }

  /** Steps 2 and 3 of a batch, also used to finish one a crash left pending (then `tally` is decoded from it); then its crowded days are merged. */
  async #finish(key: ServerKey, state: IngestState, pending: PendingDoc, tally?: BatchTally): Promise<void> {
    const figures = await this.#guard.run('applying a batch', () => applyPending(this.ctx, key, pending, tally));
    const feed = pending.feed;
    if (feed) await this.#guard.run('queueing feed items', () => insertOutbox(this.ctx, key, pending.seq, feed.at, feed.entries));
    await this.#guard.run('advancing cursors', () => advance(this.ctx, key, pending));
    Object.assign(state, { seq: pending.seq, cursors: pending.cursors, recent: pending.recent, pending: null, lastPlayerNo: Math.max(state.lastPlayerNo, pending.lastPlayerNo ?? 0) });
    try {
      await this.#guard.run('merging killer-victim segments', () => mergeDaySegments(this.ctx, key, figures));
    } catch (error) {
      // Merging is housekeeping: the batch is durable, and the next merge on those days takes them.
      this.#logger.warn({ err: error, serverId: key.serverId }, 'killer-victim segments not merged; the next batch on those days tries again');
    }
    await this.#afterFeed(key, pending);
  }

  /** Tombstones of posted items up to this batch go (it cannot be finished again); the poster hears of new items. */
  async #afterFeed(key: ServerKey, pending: PendingDoc): Promise<void> {
    // Only after live batches: a history run's batches carry no items, and a round trip each would slow it.
    if (!pending.feed) return;
    try {
      await this.#guard.run('deleting posted feed items', () => dropTombstones(this.ctx, key, pending.seq));
    } catch (error) {
      this.#logger.warn({ err: error, serverId: key.serverId }, 'posted feed items not deleted; the next batch tries again');
    }
    this.#onOutbox?.(key.guildId, [...new Set(pending.feed.entries.map((e) => e.purpose))]);
  }

  #state(key: ServerKey): Promise<ServerState> {
    let state = this.#states.get(key.serverId);
    if (!state) {
      state = this.#guard.run('loading ingest state', () => loadState(this.ctx, key)).then(async (loaded) => {
        if (loaded.pending) {
          this.#logger.info({ serverId: key.serverId, seq: loaded.pending.seq }, 'finishing a batch left pending by an earlier run');
          await this.#finish(key, loaded, loaded.pending);
        }
        // No batch is pending now: parts a crash left (before its record was written, or before they
        // were deleted) are named by nothing, and would otherwise wait for the next batch with parts.
        await this.#guard.run('deleting leftover parts', () => dropPendingParts(this.ctx, key));
        // After a pending batch is finished: it may number players for the first time.
        const numbers = await this.#guard.run('loading player numbers', () => loadPlayerNumbers(this.ctx, key, loaded.lastPlayerNo));
        return Object.assign(loaded, { numbers });
      });
      const loading = state;
      loading.catch(() => { if (this.#states.get(key.serverId) === loading) this.#states.delete(key.serverId); });
      this.#states.set(key.serverId, loading);
    }
    return state;
  }

  /** Stops for good, once: callers get a plain error, the owner hears it (and restarts the bot). */
  #stop(error: unknown, why: string): void {
    if (this.#failure !== null) return;
    this.#failure = error instanceof Error ? error : new Error(String(error));
    this.#logger.error({ err: this.#failure }, `ingest writer stopped: ${why}`);
    for (const lane of this.#lanes.values()) this.#wake(lane);
    this.#onStopped?.(this.#failure);
  }

  #wake(lane: Lane): void {
    const waiters = lane.waiters;
    lane.waiters = [];
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
