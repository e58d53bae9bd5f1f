/**
 * Overhead of our pool over raw piscina: the same tiny `ping` task on the same worker entry and
 * thread count, awaited one by one and as a burst of 100,000. Target: >= 0.9x raw throughput in
 * both modes (floor 0.8x).
 *
 * Method, for a shared and noisy 2-core machine: each side lives in a child process of its own (so
 * neither pool's threads, timers or heap colour the other's figures), both warmed up and alive for
 * the whole run, and the two sides alternate in many short rounds (raw, pool, then pool, raw ...)
 * on command, so a burst of noise lands on one round rather than one side. The verdict is the
 * median of the per-round ratios; best-of figures are printed beside it.
 *
 * One by one, only one thread works at a time, and a round trip costs what waking a thread costs:
 * several times more when the wake has to cross to the other (idle, halted) virtual CPU of a VM than
 * when the worker and the main thread share a core. Which one a pool gets depends on where the OS
 * happened to put its threads, and sticks for the life of the threads: unpinned, either side could
 * come out several times slower for reasons that are not its own. So the one-by-one children are pinned to one core (`taskset`),
 * where both sides pay the same wake cost and the ratio is our own per-task overhead. The burst
 * children run unpinned: there both threads work at once, on both cores.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { createLogger } from '../src/logging/logger.js';
import { createTaskPool } from '../src/pool/index.js';
import { note, report, round } from './lib.js';

const THREADS = 2;
const BURST = 100_000;
const ONE_BY_ONE = 5_000;
/** One-by-one rounds run on several pairs of fresh children: each process's own luck (where its JIT and heap settle) averages out. */
const ONE_BY_ONE_PAIRS = 3;
const ONE_BY_ONE_ROUNDS = 15;
const BURST_ROUNDS = 7;
/** The pool's test worker: its `ping` answers at once, the tiny task both sides run. */
const workerFile = new URL('../test/pool/fixtures/test-worker.ts', import.meta.url).href;
/** Set in a child: which side it measures. */
const SIDE = 'POOL_OVERHEAD_SIDE';

type Run = (i: number) => Promise<unknown>;
type SideName = 'raw' | 'pool';
type Mode = 'one-by-one' | 'burst';
interface ModeResult { raw: number[]; pool: number[]; ratios: number[] }

/** Tasks per second, awaiting each before submitting the next. */
async function oneByOne(run: Run, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i += 1) await run(i);
  return count / ((performance.now() - start) / 1000);
}

/** Tasks per second, submitting all at once and awaiting them together. */
async function inBurst(run: Run, count: number): Promise<number> {
  const start = performance.now();
  const all = new Array<Promise<unknown>>(count);
  for (let i = 0; i < count; i += 1) all[i] = run(i);
  await Promise.all(all);
  return count / ((performance.now() - start) / 1000);
}

/**
 * A child: builds one side, warms it up, then answers `one-by-one` and `burst` lines on stdin with
 * the tasks per second of one round. Bursts start after a forced GC, so one round's garbage is not
 * collected in the next; one-by-one rounds do not: after a forced full GC the next few thousand
 * round trips ran markedly slower, which would measure that recovery, not the pool.
 */
async function serveSide(side: SideName): Promise<void> {
  let run: Run;
  let close: () => Promise<unknown>;
  if (side === 'raw') {
    const piscina = new Piscina({ filename: workerFile, minThreads: THREADS, maxThreads: THREADS, concurrentTasksPerWorker: 1, recordTiming: false });
    run = (i) => piscina.run({ task: 'ping', input: i });
    close = () => piscina.destroy();
  } else {
    const pool = createTaskPool<{ ping: { input: number; output: { pong: number } } }>({ workerFile, minThreads: THREADS, maxThreads: THREADS, interactiveShare: 0 }, createLogger({ level: 'warn', pretty: false }));
    run = (i) => pool.run('ping', i);
    close = () => pool.shutdown({ deadlineMs: 1_000 });
  }
  for (let i = 0; i < 2; i += 1) {
    await oneByOne(run, 3_000);
    await inBurst(run, 20_000);
  }
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'one-by-one') process.stdout.write(`${await oneByOne(run, ONE_BY_ONE)}\n`);
    else if (line === 'burst') {
      globalThis.gc?.();
      process.stdout.write(`${await inBurst(run, BURST)}\n`);
    } else break;
  }
  await close();
}

/** A side in a child process, pinned to core 0 when asked (and taskset exists); `measure` runs one round. */
async function startSide(side: SideName, pinned: boolean): Promise<{ measure: (mode: Mode) => Promise<number>; stop: () => void }> {
  const node = [...process.execArgv, fileURLToPath(import.meta.url)];
  const env = { ...process.env, [SIDE]: side };
  const child: ChildProcessWithoutNullStreams = pinned
    ? spawn('/usr/bin/taskset', ['-c', '0', process.execPath, ...node], { env })
    : spawn(process.execPath, node, { env });
  child.stderr.pipe(process.stderr);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done === true) throw new Error(`the ${side} child ended early (exit ${child.exitCode ?? '?'})`);
    return value;
  };
  if (await next() !== 'ready') throw new Error(`the ${side} child did not start`);
  return {
    measure: async (mode) => {
      child.stdin.write(`${mode}\n`);
      return Number(await next());
    },
    stop: () => child.stdin.end('stop\n'),
  };
}

/** Alternating rounds of `mode` on a fresh pair of children. */
async function interleave(mode: Mode, rounds: number, pinned: boolean): Promise<ModeResult> {
  const sides = { raw: await startSide('raw', pinned), pool: await startSide('pool', pinned) };
  const result: ModeResult = { raw: [], pool: [], ratios: [] };
  try {
    for (let r = 0; r < rounds; r += 1) {
      const got: Record<SideName, number> = { raw: 0, pool: 0 };
      for (const side of (r % 2 === 0 ? ['raw', 'pool'] : ['pool', 'raw']) as SideName[]) got[side] = await sides[side].measure(mode);
      result.raw.push(got.raw);
      result.pool.push(got.pool);
      result.ratios.push(got.pool / got.raw);
      note(`${mode}${pinned ? ' (one core)' : ''} round ${r + 1}/${rounds}: raw ${Math.round(got.raw)}/s pool ${Math.round(got.pool)}/s ratio ${round(got.pool / got.raw, 3)}`);
    }
  } finally {
    sides.raw.stop();
    sides.pool.stop();
  }
  return result;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function figures(prefix: string, m: ModeResult): Record<string, number> {
  return {
    [`${prefix}_ratio`]: round(median(m.ratios), 3),
    [`${prefix}_ratio_best`]: round(Math.max(...m.pool) / Math.max(...m.raw), 3),
    [`${prefix}_raw_tasks_per_s`]: Math.round(median(m.raw)),
    [`${prefix}_pool_tasks_per_s`]: Math.round(median(m.pool)),
    [`${prefix}_raw_best_tasks_per_s`]: Math.round(Math.max(...m.raw)),
    [`${prefix}_pool_best_tasks_per_s`]: Math.round(Math.max(...m.pool)),
    [`${prefix}_rounds`]: m.ratios.length,
  };
}

const side = process.env[SIDE];
if (side === 'raw' || side === 'pool') {
  await serveSide(side);
} else {
  const pinned = existsSync('/usr/bin/taskset');
  if (!pinned) note('taskset not found: one-by-one rounds run unpinned, expect noise');
  const serial: ModeResult = { raw: [], pool: [], ratios: [] };
  for (let pair = 0; pair < ONE_BY_ONE_PAIRS; pair += 1) {
    const part = await interleave('one-by-one', ONE_BY_ONE_ROUNDS, pinned);
    serial.raw.push(...part.raw);
    serial.pool.push(...part.pool);
    serial.ratios.push(...part.ratios);
  }
  const burst = await interleave('burst', BURST_ROUNDS, false);
  const ratio = Math.min(median(serial.ratios), median(burst.ratios));
  report('pool-overhead', {
    threads: THREADS,
    one_by_one_tasks: ONE_BY_ONE,
    one_by_one_pinned_to_one_core: pinned,
    burst_tasks: BURST,
    ...figures('one_by_one', serial),
    ...figures('burst', burst),
    ratio: round(ratio, 3),
    rounds: serial.ratios.length + burst.ratios.length,
    target_ratio: 0.9,
    floor_ratio: 0.8,
    target_met: ratio >= 0.9,
    floor_met: ratio >= 0.8,
  });
}
