import { afterAll, describe, expect, it } from 'vitest';
import { makePool } from './helpers.js';

const { pool } = makePool();
afterAll(() => pool.shutdown({ deadlineMs: 1000 }));

describe('submit and await', () => {
  it('GIVEN a worker task THEN run resolves with its typed result and the task is remembered with its id, label, key, priority and metadata', async () => {
    const handle = pool.submit('ping', 41, { label: 'health check', key: 'guild-1', priority: 'HIGH', meta: { by: 'admin' } });
    await expect(handle.result).resolves.toEqual({ pong: 41 });
    const seen = pool.get(handle.id);
    expect(seen).toMatchObject({ id: handle.id, kind: 'cpu', task: 'ping', label: 'health check', key: 'guild-1', priority: 'HIGH', meta: { by: 'admin' }, state: 'COMPLETED', resultSummary: '{pong}' });
    expect(seen?.workerId).toEqual(expect.any(Number));
    expect(Date.parse(seen?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(seen?.startedAt ?? ''));
  });

  it('GIVEN fire-and-forget submissions THEN each can be looked up by id while queued, running and after', async () => {
    const handles = [1, 2, 3].map((n) => pool.submit('sleep', 30 * n));
    const states = handles.map((h) => pool.get(h.id)?.state);
    expect(states.every((s) => s === 'QUEUED' || s === 'RUNNING')).toBe(true);
    await Promise.all(handles.map((h) => h.result));
    expect(handles.map((h) => pool.get(h.id)?.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(pool.get(999_999)).toBeUndefined();
  });

  it('GIVEN a failing fire-and-forget task nobody awaits THEN no unhandled rejection escapes and its error is kept', async () => {
    const handle = pool.submit('throw', 'nobody listens');
    await expect(handle.result).rejects.toThrow('nobody listens');
    expect(pool.get(handle.id)?.error).toEqual({ message: 'nobody listens', kind: 'TypeError', cause: null });
  });
});
