import { emptyTotals, MAX_LINE_BYTES, sumTotals, type MalformedRow } from '../../parsers/index.js';
import type { IoTaskContext, ProductionTasks, TaskProgress } from '../pool/index.js';
import {
  discoverLayout, findResumePoint, fingerprintOf, listDeathLogs, newCursor, type ResumePoint,
} from '../sources/index.js';
import type { FileCursor as StoredCursor, IngestTarget, IngestWork } from '../store/index.js';
import { restoreDeathLog, toSourceCursor, type ServerWatch } from './server-watch.js';

export interface HistoryDeps {
  writer: {
    add(target: IngestTarget, work: IngestWork): Promise<void>;
    flush(): Promise<void>;
    resume(target: IngestTarget): Promise<StoredCursor[]>;
    /** Wipes the server's figures and cursors, for a rebuild from scratch. */
    reset(target: IngestTarget): Promise<void>;
  };
  now(): number;
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

export interface HistoryProgress extends TaskProgress {
  rowsPerSecond: number;
  etaSeconds: number | null;
}

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
  const progress = new ProgressClock(deps, ctx, options, started, plans.length, todo.reduce((a, p) => a + p.size - p.resume.start, 0));
  progress.filesDone = plans.length - todo.length;
  const merged = new InOrderMerger(deps, watch.target, progress);
  try {
    await parseInOrder(watch, todo, ctx, options, merged, progress);
  } catch (error) {
    await followDurable(deps, watch, dir).catch(() => undefined);
    throw error;
  }
  await followDurable(deps, watch, dir);
  progress.emit(true);
  return {
    files: plans.length, filesSkipped: plans.length - todo.length, rows: merged.totals.rows, malformed: merged.totals.malformed,
    malformedSample: merged.malformed, bytes: progress.bytesDone, seconds: Math.round((deps.now() - started) / 100) / 10,
  };
}

/** Parses the files' slices in parallel and hands their figures to the writer in file order. */
async function parseInOrder(watch: ServerWatch, todo: FilePlan[], ctx: Ctx, options: HistoryOptions, merged: InOrderMerger, progress: ProgressClock): Promise<void> {
  const inFlight: Pending[] = [];
  const parallel = options.parallel ?? 3;
  for (const plan of todo) {
    for await (const slice of readSlices(watch, plan, options)) {
      ctx.signal.throwIfAborted();
      const input = sliceInput(plan, slice, watch.utcOffsetMinutes);
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
 */
async function followDurable(deps: HistoryDeps, watch: ServerWatch, dir: string): Promise<void> {
  await deps.writer.flush();
  restoreDeathLog(watch, dir, await deps.writer.resume(watch.target));
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

/**
 * One read's worth of a file, cut at its last newline: `bytes` are complete rows (in a buffer of
 * their own, moved to the worker, never copied on the main thread) after `carry`, the unfinished
 * row the previous read ended with (or the resume point's, for a file's first slice). A row longer
 * than the line cap is carried only up to the cap, as a tick's parser holds it.
 */
interface SliceRead {
  carry: Uint8Array;
  bytes: Uint8Array;
  /** Where the rows end in the file. */
  end: number;
  /** Bytes read from the source for this slice. */
  read: number;
  first: boolean;
  /** The file's fingerprint: of its first bytes when read from 0, else the resume point's. */
  head: string;
  /** The file's last slice: with `final`, its unterminated last row is a row too. */
  last: boolean;
}

/** Reads a file from its resume point, one slice per read, in order. */
async function* readSlices(watch: ServerWatch, plan: FilePlan, options: HistoryOptions): AsyncGenerator<SliceRead> {
  const sliceBytes = options.sliceBytes ?? 4 * 1024 * 1024;
  let offset = plan.resume.start;
  let carry = plan.resume.carry;
  let head = plan.resume.fingerprint;
  let read = 0;
  let first = true;
  for (;;) {
    const block = await watch.source.read(plan.path, { start: offset, maxBytes: sliceBytes });
    if (offset === 0) head = block.length > 0 ? fingerprintOf(block) : '';
    const blockStart = offset;
    offset += block.length;
    read += block.length;
    const last = block.length < sliceBytes;
    const cut = last ? block.length : block.lastIndexOf(0x0a) + 1;
    if (cut === 0 && !last) {
      carry = capped(carry, block);
      continue;
    }
    const next = capped(new Uint8Array(0), block.subarray(cut));
    yield { carry, bytes: ownBuffer(block).subarray(0, cut), end: blockStart + cut, read, first, head, last };
    carry = next;
    read = 0;
    first = false;
    if (last) return;
  }
}

/** `row` followed by as much of `more` as the line cap leaves room for (a copy). */
function capped(row: Uint8Array, more: Uint8Array): Uint8Array {
  return concat(row, more.subarray(0, Math.max(0, MAX_LINE_BYTES - row.length)));
}

/** `bytes` over the whole of a buffer, so it can be transferred: sources return such buffers; anything else is copied once. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
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

/** Progress at most every few seconds, and once at the end; rate and ETA from bytes. */
class ProgressClock {
  filesDone = 0;
  rowsDone = 0;
  bytesDone = 0;
  #lastAt = 0;

  constructor(private readonly deps: HistoryDeps, private readonly ctx: Ctx, private readonly options: HistoryOptions,
    private readonly started: number, private readonly filesTotal: number, private readonly bytesTotal: number) {}

  advance(rows: number, bytes: number): void {
    this.rowsDone += rows;
    this.bytesDone += bytes;
    this.emit(false);
  }

  fileDone(): void {
    this.filesDone += 1;
  }

  emit(force: boolean): void {
    const now = this.deps.now();
    if (!force && now - this.#lastAt < (this.options.progressEveryMs ?? 2_000)) return;
    this.#lastAt = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const bytesPerSecond = this.bytesDone / seconds;
    const progress: HistoryProgress = {
      filesDone: this.filesDone, filesTotal: this.filesTotal, rowsDone: this.rowsDone, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal,
      rowsPerSecond: Math.round(this.rowsDone / seconds),
      etaSeconds: bytesPerSecond > 0 ? Math.round(Math.max(0, this.bytesTotal - this.bytesDone) / bytesPerSecond) : null,
    };
    this.ctx.progress(progress);
    this.options.onProgress?.(progress);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
