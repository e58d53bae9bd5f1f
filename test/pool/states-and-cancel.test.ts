import { afterAll, describe, expect, it } from 'vitest';
import { TaskError } from '../../src/pool/index.js';
import { makePool, newGate, openGate, until } from './helpers.js';

const { pool } = makePool({ minThreads: 1, maxThreads: 1, ioConcurrency: 1 });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

describe('states and timeouts', () => {
  it('GIVEN a task queued behind another THEN it goes QUEUED -> RUNNING -> COMPLETED with wait and run durations', async () => {
    const gate = newGate();
    const first = pool.submit('gate', gate);
    const second = pool.submit('sleep', 20);
    const submitted = performance.now();
    expect(pool.get(second.id)?.state).toBe('QUEUED');
    await until(() => pool.get(first.id)?.state === 'RUNNING', 'first running');
    expect(pool.get(second.id)?.state).toBe('QUEUED');
    const opened = performance.now();
    openGate(gate);
    await second.result;
    const done = pool.get(second.id);
    expect(done?.state).toBe('COMPLETED');
    // It waited for the first to end (the gate to open), then ran its 20 ms.
    expect(done?.waitMs).toBeGreaterThanOrEqual(opened - submitted);
    expect(done?.runMs).toBeGreaterThanOrEqual(19);
  });

  it('GIVEN a timeout shorter than its queue wait THEN the task still completes: the clock starts when it starts', async () => {
    const gate = newGate();
    const blocker = pool.submit('gate', gate);
    const patient = pool.submit('ping', 1, { timeoutMs: 200 });
    // Queued for longer than its limit: had the clock started at submission, it would time out once started.
    const queuedAt = performance.now();
    await until(() => performance.now() - queuedAt > 300, 'the patient task queued past its limit');
    openGate(gate);
    await expect(patient.result).resolves.toEqual({ pong: 1 });
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
    let unblock = () => {};
    const blocker = pool.submitIo(() => new Promise<void>((resolve) => { unblock = resolve; }));
    const queued = pool.submitIo(() => { ran = true; });
    const behind = pool.submitIo(() => 'behind');
    expect(pool.cancel(queued.id)).toBe(true);
    await expect(queued.result).rejects.toMatchObject({ kind: 'cancelled' });
    unblock();
    await blocker.result;
    // The slot went to the task behind it: the cancelled one had its turn and did not take it.
    await expect(behind.result).resolves.toBe('behind');
    expect(ran).toBe(false);
    expect(pool.get(queued.id)).toMatchObject({ state: 'CANCELLED', startedAt: null });
    expect(pool.cancel(queued.id)).toBe(false);
  });

  it('GIVEN a running CPU task that cannot see a signal WHEN cancelled THEN its thread is replaced and the pool keeps serving', async () => {
    const busy = pool.submit('spin', 10_000);
    await until(() => pool.get(busy.id)?.state === 'RUNNING', 'spin running');
    const threadBefore = pool.stats().workers.find((w) => w.currentTaskId === busy.id)?.threadId;
    expect(threadBefore).toEqual(expect.any(Number));
    expect(pool.cancel(busy.id, 'admin pressed stop')).toBe(true);
    await expect(busy.result).rejects.toThrow('admin pressed stop');
    const threadAfter = await pool.run('thread-id', null);
    expect(threadAfter).not.toBe(threadBefore);
    expect(pool.get(busy.id)?.state).toBe('CANCELLED');
  });

  it('GIVEN a running I/O task WHEN cancelled THEN it sees its signal, and a late success is not reported', async () => {
    let sawAbort = false;
    let finish = () => {};
    const work = new Promise<void>((resolve) => { finish = resolve; });
    let returned = false;
    const job = pool.submitIo(async (ctx) => {
      ctx.signal.addEventListener('abort', () => { sawAbort = true; });
      await work;
      returned = true;
      return 'finished anyway';
    });
    await until(() => pool.get(job.id)?.state === 'RUNNING', 'io running');
    const completedBefore = pool.stats().totals.completed;
    pool.cancel(job.id);
    await expect(job.result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(sawAbort).toBe(true);
    finish();
    await until(() => returned, 'the cancelled function returning');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.get(job.id)?.state).toBe('CANCELLED');
    expect(pool.stats().totals.completed).toBe(completedBefore);
  });
});
