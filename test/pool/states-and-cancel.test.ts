import { afterAll, describe, expect, it } from 'vitest';
import { TaskError } from '../../src/pool/index.js';
import { makePool, until } from './helpers.js';

const { pool } = makePool({ minThreads: 1, maxThreads: 1, ioConcurrency: 1 });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

describe('states and timeouts', () => {
  it('GIVEN a task queued behind another THEN it goes QUEUED -> RUNNING -> COMPLETED with wait and run durations', async () => {
    const first = pool.submit('sleep', 150);
    const second = pool.submit('sleep', 20);
    expect(pool.get(second.id)?.state).toBe('QUEUED');
    await until(() => pool.get(first.id)?.state === 'RUNNING', 'first running');
    await second.result;
    const done = pool.get(second.id);
    expect(done?.state).toBe('COMPLETED');
    expect(done?.waitMs).toBeGreaterThanOrEqual(100);
    expect(done?.runMs).toBeGreaterThanOrEqual(15);
  });

  it('GIVEN a timeout shorter than its queue wait THEN the task still completes: the clock starts when it starts', async () => {
    const blocker = pool.submit('sleep', 300);
    const patient = pool.submit('sleep', 50, { timeoutMs: 200 });
    await expect(patient.result).resolves.toBe(50);
    await blocker.result;
    expect(pool.get(patient.id)?.waitMs).toBeGreaterThan(200);
  });

  it('GIVEN a task that blocks its thread past its timeout THEN it is TIMED_OUT, never succeeds, and the pool keeps serving', async () => {
    const stuck = pool.submit('spin', 5_000, { timeoutMs: 100 });
    const error = await stuck.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).kind).toBe('timed-out');
    expect(pool.get(stuck.id)?.state).toBe('TIMED_OUT');
    await expect(pool.run('ping', 7)).resolves.toEqual({ pong: 7 });
  });
});

describe('cancellation', () => {
  it('GIVEN a queued task WHEN cancelled THEN it never runs', async () => {
    let ran = false;
    const blocker = pool.submitIo(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const queued = pool.submitIo(() => { ran = true; });
    expect(pool.cancel(queued.id)).toBe(true);
    await expect(queued.result).rejects.toMatchObject({ kind: 'cancelled' });
    await blocker.result;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
    expect(pool.get(queued.id)).toMatchObject({ state: 'CANCELLED', startedAt: null });
    expect(pool.cancel(queued.id)).toBe(false);
  });

  it('GIVEN a running CPU task that cannot see a signal WHEN cancelled THEN its thread is replaced and the pool keeps serving', async () => {
    const busy = pool.submit('spin', 10_000);
    await until(() => pool.get(busy.id)?.state === 'RUNNING', 'spin running');
    const threadBefore = await new Promise((r) => setTimeout(r, 50)).then(() => pool.stats().workers.find((w) => w.currentTaskId === busy.id)?.threadId);
    expect(pool.cancel(busy.id, 'admin pressed stop')).toBe(true);
    await expect(busy.result).rejects.toThrow('admin pressed stop');
    const threadAfter = await pool.run('thread-id', null);
    expect(threadAfter).not.toBe(threadBefore);
    expect(pool.get(busy.id)?.state).toBe('CANCELLED');
  });

  it('GIVEN a running I/O task WHEN cancelled THEN it sees its signal, and a late success is not reported', async () => {
    let sawAbort = false;
    const job = pool.submitIo(async (ctx) => {
      ctx.signal.addEventListener('abort', () => { sawAbort = true; });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 'finished anyway';
    });
    await until(() => pool.get(job.id)?.state === 'RUNNING', 'io running');
    pool.cancel(job.id);
    await expect(job.result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(sawAbort).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(pool.get(job.id)?.state).toBe('CANCELLED');
    expect(pool.stats().totals.completed).toBeGreaterThan(0);
  });
});
