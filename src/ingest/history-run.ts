import { emptyTotals, sumTotals, type MalformedRow } from '../../parsers/index.js';
import type { IoTaskContext } from '../pool/index.js';
import type { ProductionTasks } from '../worker/index.js';
import {
  discoverLayout, findResumePoint, listDeathLogs, newCursor, type ResumePoint,
} from '../sources/index.js';
import type { FileCursor as StoredCursor, IngestTarget, IngestWork } from '../store/index.js';
import { ProgressClock, type HistoryProgress } from './history-progress.js';
import { readSlices, type SliceRead } from './history-slices.js';
import { restoreDeathLog, toSourceCursor, type ServerWatch } from './server-watch.js';

export interface HistoryDeps {
  writer: {
    add(target: IngestTarget, work: IngestWork): Promise<void>;
    flush(target: IngestTarget): Promise<void>;
    resume(target: IngestTarget): Promise<StoredCursor[]>;
    /** Wipes the server's figures and cursors, for a rebuild from scratch. */
    reset(target: IngestTarget): Promise<void>;
  };
  now(): number;
  /** The server's season starts (src/store/seasons.ts), read before each slice is parsed; absent: no seasons. */
  seasonStarts?(target: IngestTarget): Promise<readonly number[]>;
}

export interface HistoryOptions {
  /** Rebuild from nothing (true), or continue from the stored cursors (false: resume, replay). */
  fresh: boolean;
  /** Parse the newest file's unterminated last row too: the files are finished (replay), not live. */
  finalizeNewest: boolean;
  /** Bytes read from the source at a time, each read one parsing slice (default 4 MiB), and slices in flight (default 3). */
  sliceBytes?: number;
  parallel?: number;
  /** Progress at most this often (default 2 s). */
  progressEveryMs?: number;
  onProgress?: (progress: HistoryProgress) => void;
}

export type { HistoryProgress };

export interface HistoryReport {
  files: number;
  filesSkipped: number;
  rows: number;
  malformed: number;
  malformedSample: MalformedRow[];
  bytes: number;
  seconds: number;
}

type Ctx = Pick<IoTaskContext<ProductionTasks>, 'cpu' | 'signal' | 'progress'>;
interface FilePlan { path: string; name: string; size: number; resume: ResumePoint; final: boolean }
interface Pending {
  /** Where the slice's rows end in the file; its bytes have moved to a worker by the time the result is taken. */
  end: number;
  /** Bytes read for it (what progress counts). */
  length: number;
  plan: FilePlan;
  first: boolean;
  /** Fingerprint of the file's first bytes (set on a file's first slice). */
  head: string;
  result: Promise<ProductionTasks['parse-death-log']['output']>;
}

/**
 * A history run: every death-log CSV of a server, oldest first, parsed in parallel slices by the
 * pool's workers and merged in file order (streaks need it), written through the same exactly-once
 * writer as live ticks. Each slice's write carries the file cursor it reaches, so a run stopped by a
 * crash, a restart or a cancel continues from the last durable slice. Nothing is posted to Discord.
 */
export async function runHistory(deps: HistoryDeps, watch: ServerWatch, ctx: Ctx, options: HistoryOptions): Promise<HistoryReport> {
  const started = deps.now();
  const dir = await deathLogDir(watch);
  if (options.fresh) await deps.writer.reset(watch.target);
  const stored = new Map((await deps.writer.resume(watch.target)).map((c) => [c.file, c]));
  const plans = await planFiles(watch, dir, stored, options.finalizeNewest);
  // What is left of a file, by the rule ticks follow too: whatever read it before, go on from there.
  const todo = plans.filter((p) => p.resume.unread || (p.final && p.resume.carry.length > 0));
  const progress = new ProgressClock({
    now: deps.now, started, everyMs: options.progressEveryMs ?? 2_000,
    report: (x) => { ctx.progress(x); options.onProgress?.(x); },
  }, plans.length, todo.reduce((a, p) => a + p.size - p.resume.start, 0));
  progress.filesDone = plans.length - todo.length;
  const merged = new InOrderMerger(deps, watch.target, progress);
  try {
    await parseInOrder(deps, watch, todo, ctx, options, merged, progress);
  } catch (error) {
    await followDurable(deps, watch, dir, false).catch(() => undefined);
    throw error;
  }
  await followDurable(deps, watch, dir, true);
  progress.emit(true);
  return {
    files: plans.length, filesSkipped: plans.length - todo.length, rows: merged.totals.rows, malformed: merged.totals.malformed,
    malformedSample: merged.malformed, bytes: progress.bytesDone, seconds: Math.round((deps.now() - started) / 100) / 10,
  };
}

/** Parses the files' slices in parallel and hands their figures to the writer in file order. */
async function parseInOrder(deps: HistoryDeps, watch: ServerWatch, todo: FilePlan[], ctx: Ctx, options: HistoryOptions, merged: InOrderMerger, progress: ProgressClock): Promise<void> {
  const inFlight: Pending[] = [];
  const parallel = options.parallel ?? 3;
  for (const plan of todo) {
    for await (const slice of readSlices(watch.source, plan.path, plan.resume, options.sliceBytes ?? 4 * 1024 * 1024)) {
      ctx.signal.throwIfAborted();
      // After the read, as ticks do: a wipe recorded before these bytes were read cuts them.
      const seasonStarts = await deps.seasonStarts?.(watch.target) ?? [];
      const input = { ...sliceInput(plan, slice, watch.utcOffsetMinutes), seasonStarts };
      const pending: Pending = {
        end: slice.end, length: slice.read, plan, first: slice.first, head: slice.head,
        result: ctx.cpu('parse-death-log', input, { transfer: [slice.bytes.buffer as ArrayBuffer] }),
      };
      pending.result.catch(() => undefined); // awaited in order below; never an unhandled rejection
      inFlight.push(pending);
      while (inFlight.length >= parallel) await merged.take(inFlight.shift() as Pending);
    }
    while (inFlight.length > 0) await merged.take(inFlight.shift() as Pending);
    progress.fileDone();
  }
}

/**
 * Finished or cut short, the server's ticks go on from what is durable now: the newest file with a
 * cursor. (Going on from where the tick was before would read again what the run counted since.)
 * What a run cut short left unread is history, not news: the ticks read it silently.
 */
async function followDurable(deps: HistoryDeps, watch: ServerWatch, dir: string, finished: boolean): Promise<void> {
  await deps.writer.flush(watch.target);
  restoreDeathLog(watch, dir, await deps.writer.resume(watch.target));
  if (!finished) watch.catchingUp.deathLog = true;
}

/** Every death-log file, oldest first, with where reading it goes on; all but the newest are finished. */
async function planFiles(watch: ServerWatch, dir: string, stored: Map<string, StoredCursor>, finalizeNewest: boolean): Promise<FilePlan[]> {
  const listing = await listDeathLogs(watch.source, dir);
  const plans: FilePlan[] = [];
  for (const [i, f] of listing.files.entries()) {
    const from = stored.get(f.path);
    const resume = await findResumePoint(watch.source, from ? toSourceCursor(from) : newCursor(f.path), { size: f.size, mtimeMs: f.mtimeMs });
    plans.push({ path: f.path, name: f.name, size: f.size, resume, final: i < listing.files.length - 1 || finalizeNewest });
  }
  return plans;
}

async function deathLogDir(watch: ServerWatch): Promise<string> {
  if (watch.layout?.deathLogDir) return watch.layout.deathLogDir;
  const found = await discoverLayout(watch.source, watch.configured.deathLogDir === undefined ? {} : { deathLogDir: watch.configured.deathLogDir });
  if (!found.deathLogDir) throw new Error(`No deathlogs folder was found on ${watch.source.label}. Set the death-log path for this server.`);
  return found.deathLogDir;
}

function sliceInput(plan: FilePlan, slice: SliceRead, utcOffsetMinutes: number): ProductionTasks['parse-death-log']['input'] {
  // Only a file's first slice knows its line number; later ones are numbered from 2 (never 1, which
  // would strip a byte-order mark) and fixed up in order.
  // Figures packed in the worker: typed arrays and strings, pairs as numbered entries.
  return {
    file: plan.name, carry: slice.carry, bytes: slice.bytes, final: slice.last && plan.final, utcOffsetMinutes, pack: true,
    nextLine: slice.first ? plan.resume.nextLine : 2,
  };
}

/** Takes slice results in submission order: fixes line numbers, writes each with the cursor it reaches. */
class InOrderMerger {
  totals = emptyTotals();
  malformed: MalformedRow[] = [];
  #nextLine = 1;
  #head = '';

  constructor(private readonly deps: HistoryDeps, private readonly target: IngestTarget, private readonly progress: ProgressClock) {}

  async take(p: Pending): Promise<void> {
    const out = await p.result;
    if (p.first) {
      this.#nextLine = out.nextLine;
      this.#head = p.head;
    } else {
      const shift = this.#nextLine - 2;
      for (const m of out.malformed) m.line += shift;
      this.#nextLine = out.nextLine + shift;
    }
    for (const m of out.malformed) if (this.malformed.length < 100) this.malformed.push(m);
    this.totals = sumTotals(this.totals, out.summary.totals);
    const cursor: StoredCursor = {
      file: p.plan.path, offset: p.end, size: p.plan.size, head: this.#head, carry: out.carry, nextLine: this.#nextLine,
    };
    await this.deps.writer.add(this.target, { summary: out.summary, ...(out.packed ? { packed: out.packed } : {}), cursors: [cursor] });
    this.progress.advance(out.rows, p.length);
  }
}
