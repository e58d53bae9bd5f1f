import { afterAll, describe, expect, it } from 'vitest';
import { TaskError } from '../../src/pool/index.js';
import { makePool } from './helpers.js';

const { pool } = makePool({ minThreads: 1, maxThreads: 2, maxOldGenerationSizeMb: 32 });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

async function failureOf(result: Promise<unknown>): Promise<TaskError> {
  const error = await result.then(() => { throw new Error('expected the task to fail'); }, (e: unknown) => e);
  expect(error).toBeInstanceOf(TaskError);
  return error as TaskError;
}

describe('faults fail only their task', () => {
  it('GIVEN a task that throws THEN message and kind cross the thread boundary', async () => {
    expect(await failureOf(pool.run('throw', 'the CSV was empty'))).toMatchObject({ kind: 'TypeError', message: 'the CSV was empty' });
    expect(await failureOf(pool.run('throw-kind', { kind: 'sftp-auth', message: 'login refused' }))).toMatchObject({ kind: 'sftp-auth', message: 'login refused' });
  });

  it('GIVEN a worker that exits mid-task THEN the task fails as worker-exit and the next task runs', async () => {
    const handle = pool.submit('exit', 3);
    const error = await failureOf(handle.result);
    expect(error.kind).toBe('worker-exit');
    expect(error.message).toMatch(/exited/);
    expect(pool.get(handle.id)?.state).toBe('FAILED');
    await expect(pool.run('ping', 1)).resolves.toEqual({ pong: 1 });
  });

  it('GIVEN a worker that runs out of its memory limit THEN the task fails as out-of-memory and the pool keeps serving', async () => {
    const error = await failureOf(pool.run('oom', null));
    expect(error.kind).toBe('out-of-memory');
    expect(error.message).toContain('32 MB');
    await expect(pool.run('ping', 2)).resolves.toEqual({ pong: 2 });
  });

  it('GIVEN malformed results THEN the task fails as malformed-result with a clear message', async () => {
    expect((await failureOf(pool.run('malformed-result', null))).kind).toBe('malformed-result');
    const raw = await failureOf(pool.run('raw-reply', null));
    expect(raw.kind).toBe('malformed-result');
    expect(raw.message).toContain('not a worker reply');
    await expect(pool.run('ping', 3)).resolves.toEqual({ pong: 3 });
  });

  it('GIVEN an unknown task name THEN the error names the known tasks', async () => {
    const error = await failureOf(pool.run('no-such-task' as 'ping', 0));
    expect(error.kind).toBe('unknown-task');
    expect(error.message).toContain('Known tasks: ping, byte-sum, gate');
  });

  it('GIVEN failures THEN stats count them and the success rate reflects them', () => {
    const { totals } = pool.stats();
    expect(totals.failed).toBe(7);
    expect(totals.completed).toBe(3);
    expect(totals.successRate).toBeCloseTo(0.3, 5);
  });
});
