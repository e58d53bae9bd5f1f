/**
 * Overhead of our pool over raw piscina: the same tiny `ping` task on the same worker entry and
 * thread count, awaited one by one and as a burst of 100,000. Target: >= 0.9x raw throughput in
 * both modes (floor 0.8x).
 */
import { Piscina } from 'piscina';
import { createLogger } from '../src/logging/logger.js';
import { createTaskPool } from '../src/pool/index.js';
import { note, report, round } from './lib.js';

const THREADS = 2;
const BURST = 100_000;
const ONE_BY_ONE = 20_000;
const ROUNDS = 3;
const workerFile = new URL('../src/pool/worker.ts', import.meta.url).href;

async function rawPiscina(): Promise<{ serial: number; burst: number }> {
  const piscina = new Piscina({ filename: workerFile, minThreads: THREADS, maxThreads: THREADS, concurrentTasksPerWorker: 1, recordTiming: false });
  await warm((i) => piscina.run({ task: 'ping', input: i }));
  const serial = await oneByOne((i) => piscina.run({ task: 'ping', input: i }));
  const burst = await inBurst((i) => piscina.run({ task: 'ping', input: i }));
  await piscina.destroy();
  return { serial, burst };
}

async function ourPool(): Promise<{ serial: number; burst: number }> {
  const pool = createTaskPool({ minThreads: THREADS, maxThreads: THREADS, interactiveShare: 0 }, createLogger({ level: 'warn', pretty: false }));
  await warm((i) => pool.run('ping', i));
  const serial = await oneByOne((i) => pool.run('ping', i));
  const burst = await inBurst((i) => pool.run('ping', i));
  await pool.shutdown({ deadlineMs: 1000 });
  return { serial, burst };
}

async function warm(run: (i: number) => Promise<unknown>): Promise<void> {
  await Promise.all(Array.from({ length: 2000 }, (_, i) => run(i)));
}

/** Tasks per second, awaiting each before submitting the next. */
async function oneByOne(run: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ONE_BY_ONE; i += 1) await run(i);
  return ONE_BY_ONE / ((performance.now() - start) / 1000);
}

/** Tasks per second, submitting all at once and awaiting them together. */
async function inBurst(run: (i: number) => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const start = performance.now();
  const all = new Array<Promise<unknown>>(BURST);
  for (let i = 0; i < BURST; i += 1) all[i] = run(i);
  await Promise.all(all);
  return BURST / ((performance.now() - start) / 1000);
}

const raw = { serial: [] as number[], burst: [] as number[] };
const ours = { serial: [] as number[], burst: [] as number[] };
// Alternate the two so machine noise (2 shared cores) hits both alike; keep each mode's best round.
for (let round_ = 1; round_ <= ROUNDS; round_ += 1) {
  const r = await rawPiscina();
  const o = await ourPool();
  raw.serial.push(r.serial); raw.burst.push(r.burst); ours.serial.push(o.serial); ours.burst.push(o.burst);
  note(`round ${round_}: one-by-one raw ${Math.round(r.serial)}/s pool ${Math.round(o.serial)}/s; burst raw ${Math.round(r.burst)}/s pool ${Math.round(o.burst)}/s`);
}
const best = (xs: number[]) => Math.max(...xs);
const serialRatio = best(ours.serial) / best(raw.serial);
const burstRatio = best(ours.burst) / best(raw.burst);
report('pool-overhead', {
  threads: THREADS,
  one_by_one_tasks: ONE_BY_ONE,
  burst_tasks: BURST,
  raw_one_by_one_tasks_per_s: Math.round(best(raw.serial)),
  pool_one_by_one_tasks_per_s: Math.round(best(ours.serial)),
  one_by_one_ratio: round(serialRatio, 3),
  raw_burst_tasks_per_s: Math.round(best(raw.burst)),
  pool_burst_tasks_per_s: Math.round(best(ours.burst)),
  burst_ratio: round(burstRatio, 3),
  target_ratio: 0.9,
  floor_ratio: 0.8,
  target_met: serialRatio >= 0.9 && burstRatio >= 0.9,
  floor_met: serialRatio >= 0.8 && burstRatio >= 0.8,
});
