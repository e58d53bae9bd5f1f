/**
 * Event-loop protection: a history-sized job (a generated ~1M-row, ~100 MB death log) parsed inline on
 * the main thread versus through the pool, while a 5 ms timer measures how late the main loop runs.
 * Target through the pool: worst lateness under 20 ms, never over 50 ms. Inline blocks for seconds.
 */
import { addEvents, addMalformed, createDeathLogParser, emptySummary, mergeInto, type StatsSummary } from '../parsers/index.js';
import { generateDeathLogHistory } from '../src/generator/death-log.js';
import { createLogger } from '../src/logging/logger.js';
import { createTaskPool, LatenessProbe } from '../src/pool/index.js';
import { elapsedMs, note, report, round } from './lib.js';

// 1 MB chunks: each reply (a summary of ~8k rows) then deserializes on the main thread in a few ms.
const CHUNK_BYTES = 1024 * 1024;
const FILE = 'history.csv';

function buildLog(): Buffer {
  const started = performance.now();
  const days = generateDeathLogHistory({ seed: 7, days: 100, rowsPerDay: 10_000, format: 'mixed' });
  const log = Buffer.from(days.map((d) => d.text).join(''), 'utf8');
  note(`generated ${days.reduce((n, d) => n + d.rows, 0)} rows, ${(log.length / 1e6).toFixed(1)} MB in ${elapsedMs(started)} ms`);
  return log;
}

/** Chunk boundaries just after a newline, so every chunk holds whole rows. */
function chunkEnds(log: Buffer): number[] {
  const ends: number[] = [];
  let start = 0;
  while (start < log.length) {
    const target = Math.min(log.length, start + CHUNK_BYTES);
    const newline = target === log.length ? log.length - 1 : log.indexOf(10, target);
    const end = newline < 0 ? log.length : newline + 1;
    ends.push(end);
    start = end;
  }
  return ends;
}

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) lines += 1;
  return lines;
}

async function measure<T>(what: string, work: () => Promise<T> | T): Promise<{ result: T; ms: number; lateness: ReturnType<LatenessProbe['stop']> }> {
  globalThis.gc?.();
  const probe = new LatenessProbe(5);
  probe.start();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const result = await work();
  const ms = elapsedMs(started);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const lateness = probe.stop();
  note(`${what}: ${ms} ms, timer lateness max ${lateness.maxMs} ms p99 ${lateness.p99Ms} ms over ${lateness.samples} ticks`);
  return { result, ms, lateness };
}

function parseInline(log: Buffer, ends: number[]): StatsSummary {
  const parser = createDeathLogParser({ file: FILE });
  const summary = emptySummary();
  let start = 0;
  for (const end of ends) {
    const batch = parser.push(log.subarray(start, end));
    addEvents(summary, batch.events);
    addMalformed(summary, batch.malformed.length);
    start = end;
  }
  const tail = parser.end();
  addEvents(summary, tail.events);
  return summary;
}

/**
 * Folds chunk summaries in chunk order (streaks need order) as they arrive. Only totals and player
 * tallies are folded here; the per-day figures would go to the database writer chunk by chunk, and
 * folding them into one object on the main thread would itself block it: `mergeSummaries` copies
 * its first argument, so a 100-chunk fold of ~700k day/pair entries takes seconds.
 */
class InOrderFolder {
  private readonly pending = new Map<number, StatsSummary>();
  private next = 0;
  private readonly acc: StatsSummary = emptySummary();
  readonly daysSeen = new Set<string>();

  add(index: number, summary: StatsSummary): void {
    this.pending.set(index, summary);
    for (let s = this.pending.get(this.next); s !== undefined; s = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      for (const day of s.days.keys()) this.daysSeen.add(day);
      mergeInto(this.acc, { ...s, days: new Map() });
      this.next += 1;
    }
  }

  result(): StatsSummary {
    return this.acc;
  }
}

async function parseInPool(log: Buffer, ends: number[]): Promise<Awaited<ReturnType<typeof measure<StatsSummary>>>> {
  const pool = createTaskPool({ minThreads: 2, maxThreads: 2 }, createLogger({ level: 'warn', pretty: false }));
  await Promise.all([pool.run('ping', 0), pool.run('ping', 1)]);
  // Measured from the first chunk sent to the merged summary; starting the threads is not part of the job.
  const measured = await measure('through the pool', async () => {
    const folder = new InOrderFolder();
    const parts: Promise<void>[] = [];
    let start = 0;
    let nextLine = 1;
    for (const [i, end] of ends.entries()) {
      const bytes = new Uint8Array(log.subarray(start, end)); // a copy: its buffer moves to the worker
      const lines = countLines(bytes);
      const run = pool.run('parse-death-log', { file: FILE, bytes, nextLine, final: i === ends.length - 1 }, { transfer: [bytes.buffer], priority: 'LOW', label: 'history run' });
      // Fold in a later macrotask than the one that deserialized the reply: two short blocks, not one long one.
      parts.push(run.then((out) => new Promise<void>((resolve) => setImmediate(() => { folder.add(i, out.summary); resolve(); }))));
      nextLine += lines;
      start = end;
      // Hand the loop back between chunks: copying 1 MB is cheap, but a hundred in a row would add up.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(parts);
    return folder.result();
  });
  await pool.shutdown({ deadlineMs: 1_000 });
  return measured;
}

const log = buildLog();
const ends = chunkEnds(log);
const inline = await measure('inline on the main thread', () => parseInline(log, ends));
const pooled = await parseInPool(log, ends);
const same = JSON.stringify(inline.result.totals) === JSON.stringify(pooled.result.totals) && inline.result.players.size === pooled.result.players.size;
if (!same) {
  throw new Error(`pool and inline disagree: ${JSON.stringify(inline.result.totals)} vs ${JSON.stringify(pooled.result.totals)}`);
}
report('event-loop', {
  rows: inline.result.totals.rows,
  megabytes: round(log.length / 1e6, 1),
  chunks: ends.length,
  inline_ms: inline.ms,
  inline_lateness_max_ms: inline.lateness.maxMs,
  inline_lateness_p99_ms: inline.lateness.p99Ms,
  pool_ms: pooled.ms,
  pool_lateness_max_ms: pooled.lateness.maxMs,
  pool_lateness_p99_ms: pooled.lateness.p99Ms,
  target_max_ms: 20,
  ceiling_max_ms: 50,
  target_met: pooled.lateness.maxMs < 20,
});
