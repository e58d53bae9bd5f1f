import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installShutdownSignals, type ShutdownReport } from '../../src/pool/index.js';
import { makePool, newGate, openGate, until } from './helpers.js';

describe('sizing', () => {
  it('GIVEN load then quiet THEN the pool grows to maxThreads and shrinks back after the idle timeout', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 3, idleTimeoutMs: 150 });
    const gate = newGate();
    const held = [1, 2, 3].map(() => pool.submit('gate', gate));
    await until(() => pool.stats().running.cpu === 3, 'every task running');
    expect(pool.stats().system.threadCount - 1).toBe(3);
    openGate(gate);
    await Promise.all(held.map((h) => h.result));
    await until(() => pool.stats().system.threadCount - 1 === 1, 'pool shrinks to minThreads');
    await pool.shutdown({ deadlineMs: 0 });
  });

  it('GIVEN a resize at run time THEN concurrency follows the new size, and bad sizes are refused in plain words', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    const gate = newGate();
    const first = Array.from({ length: 4 }, () => pool.submit('gate', gate));
    await until(() => pool.stats().running.cpu === 1, 'one running');
    expect(pool.stats().queue.cpuDepth).toBe(3);
    pool.resize({ maxThreads: 2 });
    await until(() => pool.stats().running.cpu >= 2, 'two running after resize');
    // Every task is running or waiting, none lost or doubled by the swap of thread pools.
    const { running, queue } = pool.stats();
    expect(running.cpu + queue.cpuDepth).toBe(4);
    expect(pool.stats().capacity.maxThreads).toBe(2);
    expect(() => pool.resize({ maxThreads: 0 })).toThrow(/maxThreads must be a whole number >= 1/);
    openGate(gate);
    await Promise.all(first.map((h) => h.result));
    await pool.shutdown({ deadlineMs: 0 });
  });
});

describe('graceful shutdown', () => {
  it('GIVEN running and queued work within the deadline THEN it all drains and new work is refused', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    const work = [pool.submit('sleep', 50), pool.submit('sleep', 50)];
    const report = await pool.shutdown({ deadlineMs: 5_000 });
    expect(report).toMatchObject({ drained: true, forced: false, cancelled: [] });
    expect(pool.get(work[1]?.id ?? 0)?.state).toBe('COMPLETED');
    await expect(pool.run('ping', 1)).rejects.toMatchObject({ kind: 'pool-closed' });
    expect(pool.stats().accepting).toBe(false);
  });

  it('GIVEN work past the deadline THEN the rest is cancelled and reported', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    const running = pool.submit('spin', 10_000, { label: 'history' });
    const queued = pool.submit('sleep', 10, { label: 'later' });
    await until(() => pool.get(running.id)?.state === 'RUNNING', 'running');
    const report = await pool.shutdown({ deadlineMs: 100 });
    expect(report.drained).toBe(false);
    expect(report.cancelled).toEqual([
      expect.objectContaining({ id: running.id, label: 'history', was: 'RUNNING' }),
      expect.objectContaining({ id: queued.id, label: 'later', was: 'QUEUED' }),
    ]);
    await expect(running.result).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(queued.result).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('GIVEN a first and a second signal THEN the first starts a graceful shutdown and the second forces it', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    const stuck = pool.submit('spin', 10_000);
    await until(() => pool.get(stuck.id)?.state === 'RUNNING', 'running');
    let report: ShutdownReport | null = null;
    const uninstall = installShutdownSignals(pool, { signals: ['SIGUSR2'], deadlineMs: 60_000, onStopped: (r) => { report = r; } });
    try {
      process.kill(process.pid, 'SIGUSR2');
      await until(() => !pool.stats().accepting, 'the first signal starting a shutdown');
      // The drain deadline is a minute away and the task never ends on its own: no report before the second signal.
      expect(report).toBeNull();
      process.kill(process.pid, 'SIGUSR2');
      await until(() => report !== null, 'forced shutdown report');
      expect(report).toMatchObject({ forced: true, drained: false, cancelled: [expect.objectContaining({ id: stuck.id })] });
    } finally {
      uninstall();
    }
  });
});

describe('worker priority', () => {
  /** Nice values of this process's threads, from /proc (field 19 of each thread's stat line).
   *  A thread that ends between the listing and the read (an earlier test's pool winding down) is skipped. */
  function threadNices(): number[] {
    return readdirSync('/proc/self/task').flatMap((tid) => {
      let stat: string;
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') return [];
        throw err;
      }
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    });
  }

  it('GIVEN workerNice THEN the worker threads run that much below the main thread, which keeps its own', async () => {
    const main = threadNices()[0] ?? 0;
    const want = Math.min(19, main + 7);
    const before = threadNices().filter((n) => n === want).length;
    const { pool } = makePool({ minThreads: 2, maxThreads: 2, workerNice: 7 });
    await Promise.all([pool.run('ping', 1), pool.run('ping', 2)]);
    await until(() => threadNices().filter((n) => n === want).length === before + 2, `two worker threads at nice ${want}`);
    expect(threadNices()[0]).toBe(main);
    await pool.shutdown({ deadlineMs: 0 });
    expect(() => makePool({ workerNice: 20 })).toThrow(/workerNice must be from 0 to 19/);
  });
});
