import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskPool } from '../../src/pool/index.js';
import { makePool, newGate, openGate, until, type TestTasks } from './helpers.js';

let current: TaskPool<TestTasks> | null = null;
afterEach(async () => {
  await current?.shutdown({ deadlineMs: 0 });
  current = null;
});

const newCounter = () => new Int32Array(new SharedArrayBuffer(4));

describe('our queue in front of the threads', () => {
  it('GIVEN the only thread busy THEN the next tasks wait QUEUED, count in the queue depth, and start only once it is free', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    current = pool;
    const gate = newGate();
    const blocker = pool.submit('gate', gate);
    const next = [pool.submit('ping', 1), pool.submit('ping', 2), pool.submit('ping', 3)];
    const submitted = performance.now();
    await until(() => pool.get(blocker.id)?.state === 'RUNNING', 'blocker running');
    expect(next.map((h) => pool.get(h.id)?.state)).toEqual(['QUEUED', 'QUEUED', 'QUEUED']);
    expect(pool.stats().queue).toMatchObject({ depth: 3, cpuDepth: 3, byPriority: { NORMAL: 3 } });
    expect(pool.stats().running.cpu).toBe(1);
    const opened = performance.now();
    openGate(gate);
    await Promise.all(next.map((h) => h.result));
    // None got the thread before the gate opened: each waited at least from its submission to then.
    for (const h of next) expect(pool.get(h.id)?.waitMs).toBeGreaterThanOrEqual(opened - submitted);
  });

  it('GIVEN a queued task WHEN cancelled THEN it never runs, no thread is replaced, and the task behind it runs', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    current = pool;
    const thread = await pool.run('thread-id', null);
    const counter = newCounter();
    const gate = newGate();
    const blocker = pool.submit('gate', gate);
    const queued = pool.submit('tally', counter);
    const behind = pool.submit('tally', counter);
    expect(pool.cancel(queued.id)).toBe(true);
    await expect(queued.result).rejects.toMatchObject({ kind: 'cancelled' });
    openGate(gate);
    await blocker.result;
    await expect(behind.result).resolves.toBe(1);
    expect(Atomics.load(counter, 0)).toBe(1);
    expect(pool.get(queued.id)).toMatchObject({ state: 'CANCELLED', startedAt: null });
    expect(await pool.run('thread-id', null)).toBe(thread);
    expect(pool.stats().queue.depth).toBe(0);
  });

  it('GIVEN a task handed to piscina while its first thread is still starting WHEN cancelled THEN it never runs and the next task does', async () => {
    const { pool } = makePool({ minThreads: 0, maxThreads: 1 });
    current = pool;
    const counter = newCounter();
    const waiting = pool.submit('tally', counter);
    expect(pool.stats().queue.cpuDepth).toBe(1);
    expect(pool.cancel(waiting.id)).toBe(true);
    await expect(waiting.result).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(pool.run('tally', counter)).resolves.toBe(1);
    expect(Atomics.load(counter, 0)).toBe(1);
    expect(pool.get(waiting.id)).toMatchObject({ state: 'CANCELLED', startedAt: null });
  });

  it('GIVEN a reserve with its thread in interactive use THEN bulk work stays in our queue, and the next HIGH task gets the freed thread at once', async () => {
    const { pool } = makePool({ minThreads: 2, maxThreads: 2, interactiveShare: 0.5 });
    current = pool;
    const gate = newGate();
    const bulk = Array.from({ length: 4 }, () => pool.submit('gate', gate, { priority: 'LOW', label: 'history' }));
    const firstHigh = pool.submit('ping', 1, { priority: 'HIGH', label: '/stats' });
    expect(pool.get(firstHigh.id)?.state).toBe('RUNNING');
    await firstHigh.result;
    expect(bulk.filter((h) => pool.get(h.id)?.state === 'RUNNING')).toHaveLength(1);
    const secondHigh = pool.submit('ping', 2, { priority: 'HIGH', label: '/leaderboard' });
    expect(pool.get(secondHigh.id)?.state).toBe('RUNNING');
    await secondHigh.result;
    openGate(gate);
    await Promise.all(bulk.map((h) => h.result));
  });

  it('GIVEN a burst of tiny tasks with no reserve THEN every one completes exactly once', async () => {
    const { pool } = makePool({ minThreads: 2, maxThreads: 2 });
    current = pool;
    const counter = newCounter();
    const results = await Promise.all(Array.from({ length: 2_000 }, () => pool.run('tally', counter)));
    expect(Atomics.load(counter, 0)).toBe(2_000);
    expect(new Set(results).size).toBe(2_000);
    expect(pool.stats().totals).toMatchObject({ submitted: 2_000, completed: 2_000, failed: 0 });
  });

  it('GIVEN a task queued behind a long one WHEN the pool grows THEN it runs on a new thread at once, not after the long one', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    current = pool;
    const gate = newGate();
    const long = pool.submit('gate', gate);
    await until(() => pool.get(long.id)?.state === 'RUNNING', 'the long task running');
    const queued = pool.submit('thread-id', null, { priority: 'HIGH' });
    expect(pool.get(queued.id)?.state).toBe('QUEUED');
    pool.resize({ maxThreads: 2 });
    const thread = await queued.result;
    expect(pool.get(long.id)?.state).toBe('RUNNING');
    expect(thread).not.toBe(pool.get(long.id)?.workerId);
    openGate(gate);
    await expect(long.result).resolves.toBe('opened');
    expect(pool.stats().totals.failed).toBe(0);
  });

  it('GIVEN a task handed to piscina while its thread starts WHEN the pool is resized THEN it is taken back and runs once, on the new threads', async () => {
    const { pool } = makePool({ minThreads: 0, maxThreads: 1 });
    current = pool;
    const counter = newCounter();
    const waiting = pool.submit('tally', counter);
    pool.resize({ maxThreads: 2 });
    await expect(waiting.result).resolves.toBe(1);
    expect(Atomics.load(counter, 0)).toBe(1);
    expect(pool.stats().totals).toMatchObject({ completed: 1, failed: 0 });
  });

  it('GIVEN a fresh pool\'s first tasks running and one queued WHEN a running one is cancelled THEN its thread is stopped and the queued task gets a new one at once', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 2 });
    current = pool;
    const gate = newGate();
    const stuck = pool.submit('spin', 10_000);
    const held = pool.submit('gate', gate);
    await until(() => pool.stats().running.cpu === 2, 'both threads busy');
    const queued = pool.submit('ping', 1);
    expect(pool.get(queued.id)?.state).toBe('QUEUED');
    pool.cancel(stuck.id);
    await expect(queued.result).resolves.toEqual({ pong: 1 });
    expect(pool.get(held.id)?.state).toBe('RUNNING');
    await stuck.result.catch(() => undefined);
    openGate(gate);
    await held.result;
  });

  it('GIVEN a task on deck and a newer one queued WHEN a running task above minThreads is cancelled THEN the task on deck starts first', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 2 });
    current = pool;
    const gate = newGate();
    const stuck = pool.submit('spin', 10_000);
    const held = pool.submit('gate', gate);
    await until(() => pool.stats().running.cpu === 2, 'both threads busy');
    const onDeck = pool.submit('gate', gate, { label: 'on deck' });
    const newer = pool.submit('gate', gate, { label: 'newer' });
    pool.cancel(stuck.id);
    await until(() => pool.stats().running.cpu === 2, 'a thread started in place of the stopped one');
    expect([onDeck, newer].map((h) => pool.get(h.id)?.state)).toEqual(['RUNNING', 'QUEUED']);
    await stuck.result.catch(() => undefined);
    openGate(gate);
    await Promise.all([held, onDeck, newer].map((h) => h.result));
  });

  it('GIVEN a task waiting while a thread starts WHEN a running thread frees up THEN the task runs on the free thread, not the starting one', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 2 });
    current = pool;
    const gate = newGate();
    const first = pool.submit('gate', gate);
    await until(() => pool.get(first.id)?.state === 'RUNNING', 'the only thread busy');
    const dir = mkdtempSync(join(tmpdir(), 'pool-boot-'));
    const bootGate = join(dir, 'hold');
    writeFileSync(bootGate, '');
    try {
      process.env['POOL_TEST_BOOT_GATE'] = bootGate;
      const waiting = pool.submit('thread-id', null);
      delete process.env['POOL_TEST_BOOT_GATE'];
      expect(pool.stats().system.threadCount - 1).toBe(2);
      openGate(gate);
      await first.result;
      expect(pool.get(waiting.id)).toMatchObject({ state: 'RUNNING', workerId: pool.get(first.id)?.workerId });
      await expect(waiting.result).resolves.toBe(pool.get(first.id)?.workerId);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('GIVEN one thread and a burst THEN the tasks run in submission order', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    current = pool;
    const counter = newCounter();
    const results = await Promise.all(Array.from({ length: 500 }, () => pool.run('tally', counter)));
    expect(results).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('GIVEN two CPU steps of one job following each other on a thread WHEN the job is cancelled THEN the step still running is stopped too', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 1 });
    current = pool;
    const job = pool.submitIo((ctx) => Promise.all([ctx.cpu('spin', 200), ctx.cpu('spin', 10_000)]));
    await until(() => pool.get(job.id)?.steps[1]?.state === 'RUNNING', 'the second step running');
    const busy = pool.get(job.id)?.steps[1]?.workerId;
    expect(pool.cancel(job.id)).toBe(true);
    await expect(job.result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(pool.get(job.id)?.steps.map((s) => s.state)).toEqual(['COMPLETED', 'CANCELLED']);
    expect(await pool.run('thread-id', null)).not.toBe(busy);
    await until(() => pool.stats().workers.find((w) => w.threadId === busy)?.alive === false, 'the stopped thread gone');
  });
});
