import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerPoolMetrics } from '../../src/metrics/pool-metrics.js';
import type { ScrapeSnapshot } from '../../src/metrics/scrape-snapshot.js';
import { makePool, type TestPool } from '../pool/helpers.js';
import { parseExposition, valueOf } from './exposition.js';

/** The pool's metrics on a real pool with worker threads: every final state, by priority. */
describe('task pool metrics', () => {
  let made: TestPool | undefined;
  afterEach(async () => {
    await made?.pool.shutdown({ deadlineMs: 1_000 });
  });

  it('GIVEN tasks ending completed, failed, cancelled and timed out THEN each is counted under its state and priority and timed', async () => {
    made = makePool({ minThreads: 1, maxThreads: 1 });
    const { pool } = made;
    const registry = new Registry();
    const snapshots: ScrapeSnapshot<unknown>[] = [];
    const unsubscribe = registerPoolMetrics(registry, pool, snapshots);
    await pool.run('ping', 1, { priority: 'HIGH' });
    await expect(pool.run('throw', 'broken', { priority: 'LOW' })).rejects.toThrow();
    await expect(pool.run('sleep', 5_000, { priority: 'NORMAL', timeoutMs: 50 })).rejects.toThrow();
    const cancelled = pool.submitIo(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))), { priority: 'CRITICAL' });
    pool.cancel(cancelled.id);
    await expect(cancelled.result).rejects.toThrow();

    for (const snapshot of snapshots) snapshot.refresh();
    const families = parseExposition(await registry.metrics());
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'COMPLETED', priority: 'HIGH' })).toBe(1);
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'FAILED', priority: 'LOW' })).toBe(1);
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'TIMED_OUT', priority: 'NORMAL' })).toBe(1);
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'CANCELLED', priority: 'CRITICAL' })).toBe(1);
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'COMPLETED', priority: 'LOW' })).toBe(0);
    expect(valueOf(families, 'killfeed_pool_task_run_seconds_count', { priority: 'NORMAL' })).toBe(1);
    // The timed-out task ran at least its 50 ms limit.
    expect(valueOf(families, 'killfeed_pool_task_run_seconds_sum', { priority: 'NORMAL' })).toBeGreaterThanOrEqual(0.05);
    expect(valueOf(families, 'killfeed_pool_worker_threads')).toBe(1);

    unsubscribe();
    await pool.run('ping', 2, { priority: 'HIGH' });
    expect(valueOf(parseExposition(await registry.metrics()), 'killfeed_pool_tasks_total', { state: 'COMPLETED', priority: 'HIGH' })).toBe(1);
  });

  it('GIVEN finished tasks THEN clearFinished forgets them and says how many, while a running one stays', async () => {
    made = makePool();
    const { pool } = made;
    for (let i = 0; i < 3; i += 1) await pool.run('ping', i);
    let release = (): void => undefined;
    const running = pool.submitIo(() => new Promise<void>((resolve) => { release = resolve; }), { label: 'still-running' });
    expect(pool.clearFinished()).toBe(3);
    expect(pool.historyOf()).toEqual([]);
    expect(pool.get(running.id)?.state).toBe('RUNNING');
    release();
    await running.result;
    expect(pool.historyOf().map((t) => t.label)).toEqual(['still-running']);
  });
});
