import { afterAll, describe, expect, it } from 'vitest';
import { makePool, newGate, openGate, until } from './helpers.js';

const SLOW_MS = 300;
const { pool, sink } = makePool({ minThreads: 2, maxThreads: 2, historySize: 5, slowTaskMs: SLOW_MS });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

describe('stats snapshot', () => {
  it('GIVEN finished and running work THEN one plain-JSON snapshot carries totals, queue, workers, percentiles and health', async () => {
    await Promise.all([1, 2, 3, 4].map((n) => pool.run('sleep', 10 * n, { key: 'server-a' })));
    const gate = newGate();
    const long = pool.submit('gate', gate, { label: 'history run', priority: 'LOW' });
    const stats = pool.stats();
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
    expect(stats.totals).toMatchObject({ submitted: 5, completed: 4, failed: 0, successRate: 1 });
    expect(stats.running.cpu).toBe(1);
    expect(stats.running.tasks).toEqual([expect.objectContaining({ id: long.id, label: 'history run', state: 'RUNNING' })]);
    const busy = stats.workers.filter((w) => w.currentTaskId === long.id);
    expect(busy).toHaveLength(1);
    expect(stats.workers.reduce((sum, w) => sum + w.completed, 0)).toBe(4);
    expect(stats.workers.every((w) => w.alive)).toBe(true);
    // The four sleeps of 10 to 40 ms: the threads were busy at least that long, and the run times show it.
    expect(stats.workers.reduce((sum, w) => sum + w.busyMs, 0)).toBeGreaterThanOrEqual(99);
    expect(stats.runMs.samples).toBe(4);
    expect(stats.runMs.p50).toBeGreaterThanOrEqual(19);
    expect(stats.runMs.max).toBeGreaterThanOrEqual(39);
    expect(stats.utilization.cpuNow).toBe(0.5);
    expect(stats.system.rssBytes).toBeGreaterThan(0);
    expect(stats.system.threadCount).toBe(3);
    expect(stats.uptimeMs).toBeGreaterThan(0);
    // Held past the slow-task threshold for the next test.
    const started = performance.now();
    await until(() => performance.now() - started > SLOW_MS, 'the long task past the slow threshold');
    openGate(gate);
    await long.result;
  });

  it('GIVEN a task slower than the threshold THEN it is logged once at warn; others once at debug', async () => {
    const quick = await pool.submit('ping', 1, { label: 'quick one' }).result.then(() => pool.historyOf({ label: 'quick one' })[0]);
    const lines = sink.lines.filter((l) => l.taskId === quick?.id);
    expect(lines).toEqual([expect.objectContaining({ level: 20, msg: 'task finished', state: 'COMPLETED', module: 'pool', runMs: expect.any(Number), waitMs: expect.any(Number), startedAt: expect.any(String) })]);
    const slow = sink.lines.filter((l) => l.label === 'history run');
    expect(slow).toEqual([expect.objectContaining({ level: 40, msg: 'slow task finished', slowTaskMs: SLOW_MS })]);
  });
});

describe('history', () => {
  it('GIVEN more finished tasks than the ring holds THEN only the newest are kept, and queries filter by state, key, label and meta', async () => {
    for (let i = 0; i < 4; i += 1) await pool.run('ping', i, { key: i % 2 === 0 ? 'even' : 'odd', label: 'numbered' });
    await pool.run('throw', 'boom', { key: 'even' }).catch(() => undefined);
    const all = pool.historyOf();
    expect(all).toHaveLength(5);
    expect(pool.stats().history).toEqual({ size: 5, capacity: 5 });
    expect(all[0]?.state).toBe('FAILED');
    expect(pool.historyOf({ state: 'FAILED' })).toHaveLength(1);
    expect(pool.historyOf({ key: 'even', state: 'COMPLETED' })).toHaveLength(2);
    expect(pool.historyOf({ label: 'numbered' })).toHaveLength(4);
    expect(pool.historyOf({ limit: 2 })).toHaveLength(2);
    const oldest = all[4]?.id ?? 0;
    expect(pool.get(oldest)?.id).toBe(oldest);
    expect(pool.get(oldest - 1)).toBeUndefined();
    await pool.run('ping', 9, { meta: { owner: 'a', n: 1 } });
    expect(pool.historyOf({ meta: { owner: 'a' } }).map((t) => t.meta)).toEqual([{ owner: 'a', n: 1 }]);
    expect(pool.historyOf({ meta: { owner: 'a', n: 2 } })).toEqual([]);
  });
});
