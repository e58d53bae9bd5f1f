/**
 * Event-loop protection: a history-sized job (a generated ~1M-row, ~100 MB death log) parsed inline on
 * the main thread versus through the pool, while a 5 ms timer measures how late the main loop runs.
 * Target through the pool: worst lateness under 20 ms, never over 50 ms. Inline blocks for seconds.
 *
 * The log is cut into slices before either run, as a file reader would hand them over, so neither
 * side pays for cutting. Through the pool the main thread does no work that grows with bytes or rows:
 * slices go out (buffers transferred) a few at a time, line numbers are fixed up in order as
 * `src/ingest/history-run.ts` does, and each reply is folded as it arrives. stderr names the worst
 * late ticks and the longest GC pauses, so a slow tick can be put down to its cause.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { addEvents, addMalformed, createDeathLogParser, emptySummary, mergeInto, type PlayerTally, type StatsSummary } from '../parsers/index.js';
import { generateDeathLogHistory } from '../src/generator/death-log.js';
import { createLogger } from '../src/logging/logger.js';
import { createTaskPool } from '../src/pool/index.js';
import { productionWorkerFile, type ParseDeathLogOutput, type ProductionTasks } from '../src/worker/index.js';
import { LatenessProbe } from './lateness-probe.js';
import { elapsedMs, note, report, round } from './lib.js';

// 512 KB slices: a reply then carries the summary of ~4k rows, which deserializes in a few ms.
const SLICE_BYTES = 512 * 1024;
// Slices in flight: two per thread keeps both busy without holding the log's worth of buffers queued.
const IN_FLIGHT = 4;
const FILE = 'history.csv';

interface Outcome { summary: StatsSummary; nextLine: number; malformedLines: number[]; daysSeen: number }

function buildLog(): Buffer {
  const started = performance.now();
  const days = generateDeathLogHistory({ seed: 7, days: 100, rowsPerDay: 10_000, format: 'mixed' });
  const log = Buffer.from(days.map((d) => d.text).join(''), 'utf8');
  note(`generated ${days.reduce((n, d) => n + d.rows, 0)} rows, ${(log.length / 1e6).toFixed(1)} MB in ${elapsedMs(started)} ms`);
  return log;
}

/** Copies of the log cut just after a newline, so every slice holds whole rows. */
function sliceLog(log: Buffer): Uint8Array[] {
  const slices: Uint8Array[] = [];
  for (let start = 0; start < log.length;) {
    const target = Math.min(log.length, start + SLICE_BYTES);
    const newline = target === log.length ? -1 : log.indexOf(10, target);
    const end = newline < 0 ? log.length : newline + 1;
    slices.push(new Uint8Array(log.subarray(start, end)));
    start = end;
  }
  return slices;
}

async function measure<T>(what: string, work: () => Promise<T> | T): Promise<{ result: T; ms: number; lateness: ReturnType<LatenessProbe['stop']> }> {
  globalThis.gc?.();
  const pauses: { at: number; ms: number }[] = [];
  const gcWatch = new PerformanceObserver((list) => { for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration }); });
  gcWatch.observe({ entryTypes: ['gc'] });
  await new Promise((resolve) => setTimeout(resolve, 50));
  // The probe runs while the job does (plus one timer turn for a tick the job's end held up): ticks
  // outside it would measure the machine, not the job.
  const probe = new LatenessProbe(5);
  probe.start();
  const started = performance.now();
  const result = await work();
  const ms = elapsedMs(started);
  await new Promise((resolve) => setTimeout(resolve, 10));
  const worst = probe.worst(3);
  const lateness = probe.stop();
  gcWatch.disconnect();
  note(`${what}: ${ms} ms, timer lateness max ${lateness.maxMs} ms p99 ${lateness.p99Ms} ms over ${lateness.samples} ticks`);
  const longest = [...pauses].sort((a, b) => b.ms - a.ms).slice(0, 3);
  note(`  worst ticks (due at ms after start: late ms): ${worst.map((w) => `${round(w.dueAtMs - started, 0)}: ${w.lateMs}`).join(', ')}`);
  note(`  GC: ${pauses.length} pauses, ${round(pauses.reduce((a, p) => a + p.ms, 0), 0)} ms in all; longest ${longest.map((p) => `${round(p.ms, 1)} ms at ${round(p.at - started, 0)}`).join(', ')}`);
  return { result, ms, lateness };
}

function parseInline(slices: readonly Uint8Array[]): Outcome {
  const parser = createDeathLogParser({ file: FILE });
  const summary = emptySummary();
  const malformedLines: number[] = [];
  const fold = (batch: ReturnType<typeof parser.push>) => {
    addEvents(summary, batch.events);
    addMalformed(summary, batch.malformed.length);
    for (const m of batch.malformed) malformedLines.push(m.line);
  };
  for (const slice of slices) fold(parser.push(slice));
  fold(parser.end());
  return { summary, nextLine: parser.nextLine, malformedLines, daysSeen: summary.days.size };
}

/**
 * Folds slice results in slice order (streaks need order) as they arrive, and numbers lines: every
 * slice after the first was parsed as if it began on line 2 (1 would strip a byte-order mark), so its
 * line numbers shift by where the previous slice ended. Only totals and player tallies are folded:
 * the per-day figures go to the database writer slice by slice in the product, and holding a
 * history's worth of them here would only grow the main thread's heap.
 */
class InOrderFolder {
  private readonly pending = new Map<number, ParseDeathLogOutput>();
  private next = 0;
  private nextLine = 1;
  private readonly acc: StatsSummary = emptySummary();
  private readonly malformedLines: number[] = [];
  readonly daysSeen = new Set<string>();

  add(index: number, out: ParseDeathLogOutput): void {
    this.pending.set(index, out);
    for (let o = this.pending.get(this.next); o !== undefined; o = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      const shift = this.next === 0 ? 0 : this.nextLine - 2;
      for (const m of o.malformed) this.malformedLines.push(m.line + shift);
      this.nextLine = o.nextLine + shift;
      for (const day of o.summary.days.keys()) this.daysSeen.add(day);
      mergeInto(this.acc, { ...o.summary, days: new Map() });
      this.next += 1;
    }
  }

  result(): Outcome {
    return { summary: this.acc, nextLine: this.nextLine, malformedLines: this.malformedLines, daysSeen: this.daysSeen.size };
  }
}

async function parseInPool(slices: readonly Uint8Array[]): Promise<Awaited<ReturnType<typeof measure<Outcome>>>> {
  const pool = createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: 2, maxThreads: 2 }, createLogger({ level: 'warn', pretty: false }));
  // Both threads started and warm before the clock starts.
  await Promise.all([0, 1].map(() => pool.run('parse-death-log', { file: 'warm-up.csv', bytes: new Uint8Array(0), final: true })));
  // Measured from the first slice sent to the merged summary; starting the threads is not part of the job.
  const measured = await measure('through the pool', async () => {
    const folder = new InOrderFolder();
    const inFlight = new Set<Promise<void>>();
    for (const [i, bytes] of slices.entries()) {
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      const input = { file: FILE, bytes, nextLine: i === 0 ? 1 : 2, final: i === slices.length - 1 };
      const run = pool.run('parse-death-log', input, { transfer: [bytes.buffer as ArrayBuffer], priority: 'LOW', label: 'history run' });
      // Fold at once: it touches only the ~300 players of one slice, and the reply is garbage right after.
      const folded: Promise<void> = run.then((out) => {
        folder.add(i, out);
        inFlight.delete(folded);
      });
      inFlight.add(folded);
    }
    await Promise.all(inFlight);
    return folder.result();
  });
  await pool.shutdown({ deadlineMs: 1_000 });
  return measured;
}

/** The first difference between the two outcomes, in words, or null when they agree on every figure. */
function difference(inline: Outcome, pooled: Outcome): string | null {
  const a = inline.summary;
  const b = pooled.summary;
  if (JSON.stringify(a.totals) !== JSON.stringify(b.totals)) return `totals ${JSON.stringify(a.totals)} vs ${JSON.stringify(b.totals)}`;
  if (a.firstTime !== b.firstTime || a.lastTime !== b.lastTime) return 'first or last event time';
  if (inline.nextLine !== pooled.nextLine) return `next line ${inline.nextLine} vs ${pooled.nextLine}`;
  if (inline.malformedLines.join() !== pooled.malformedLines.join()) return 'malformed row line numbers';
  if (a.players.size !== b.players.size) return `${a.players.size} vs ${b.players.size} players`;
  for (const [id, p] of a.players) {
    const q = b.players.get(id);
    if (q === undefined || playerText(p) !== playerText(q)) return `player ${id}: ${playerText(p)} vs ${q === undefined ? 'missing' : playerText(q)}`;
  }
  return null;
}

function playerText(p: PlayerTally): string {
  return JSON.stringify({ ...p, weapons: [...p.weapons].sort(([x], [y]) => (x < y ? -1 : 1)) });
}

const log = buildLog();
const slices = sliceLog(log);
const inline = await measure('inline on the main thread', () => parseInline(slices));
// The comparison needs totals, players and line numbers only; a hundred days of per-day figures left
// on the heap would make every later GC on the main thread dearer than anything the product holds.
const inlineDays = inline.result.summary.days.size;
inline.result.summary.days = new Map();
const pooled = await parseInPool(slices);
const problem = difference(inline.result, pooled.result);
if (problem !== null) throw new Error(`The pool and the inline parse disagree: ${problem}.`);
if (pooled.result.daysSeen !== inlineDays) throw new Error(`The pool saw ${pooled.result.daysSeen} days, the inline parse ${inlineDays}.`);
note(`pool and inline agree: ${inline.result.summary.totals.rows} rows, ${inline.result.summary.players.size} players, every figure equal`);
report('event-loop', {
  rows: inline.result.summary.totals.rows,
  megabytes: round(log.length / 1e6, 1),
  slices: slices.length,
  slice_kb: SLICE_BYTES / 1024,
  inline_ms: inline.ms,
  inline_lateness_max_ms: inline.lateness.maxMs,
  inline_lateness_p99_ms: inline.lateness.p99Ms,
  pool_ms: pooled.ms,
  pool_lateness_max_ms: pooled.lateness.maxMs,
  pool_lateness_p99_ms: pooled.lateness.p99Ms,
  target_max_ms: 20,
  ceiling_max_ms: 50,
  target_met: pooled.lateness.maxMs < 20,
  ceiling_met: pooled.lateness.maxMs <= 50,
});
