import { createLogger, LogSink } from '../../src/logging/logger.js';
import { createTaskPool, type PoolOptions, type TaskPool } from '../../src/pool/index.js';

/** Input and output types of the test worker's tasks. */
export type TestTasks = {
  ping: { input: number; output: { pong: number } };
  'byte-sum': { input: Uint8Array; output: number };
  gate: { input: Int32Array; output: string };
  sleep: { input: number; output: number };
  spin: { input: number; output: number };
  throw: { input: string; output: never };
  'throw-kind': { input: { kind: string; message: string }; output: never };
  exit: { input: number; output: never };
  oom: { input: null; output: never };
  progress: { input: number; output: number };
  'malformed-result': { input: null; output: unknown };
  'thread-id': { input: null; output: number };
  'raw-reply': { input: null; output: unknown };
  tally: { input: Int32Array; output: number };
};

export const testWorkerFile = new URL('./fixtures/test-worker.ts', import.meta.url);

export interface TestPool {
  pool: TaskPool<TestTasks>;
  sink: LogSink;
}

/** A pool on the test worker with a log sink; small by default (this machine has 2 cores). */
export function makePool(options: Partial<PoolOptions> = {}): TestPool {
  const sink = new LogSink();
  const logger = createLogger({ level: 'debug', pretty: false, destination: sink });
  const pool = createTaskPool<TestTasks>({ minThreads: 1, maxThreads: 2, interactiveShare: 0, workerFile: testWorkerFile, ...options }, logger);
  return { pool, sink };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A closed gate for the `gate` task: the task holds its thread until {@link openGate}. */
export const newGate = () => new Int32Array(new SharedArrayBuffer(4));

/** Lets every `gate` task on `gate` finish. */
export function openGate(gate: Int32Array): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}

/** Polls until `check` holds (state changes cross threads, so tests wait for them, never for a fixed time). */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(5);
  }
}
