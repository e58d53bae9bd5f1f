import { afterEach, describe, expect, it } from 'vitest';
import type { PriorityName, TaskPool } from '../../src/pool/index.js';
import { makePool, newGate, openGate, until, type TestTasks } from './helpers.js';

let current: TaskPool<TestTasks> | null = null;
afterEach(async () => {
  await current?.shutdown({ deadlineMs: 0 });
  current = null;
});

/** Order in which I/O tasks actually started, behind a blocker holding the only slot. */
async function startOrder(pool: TaskPool<TestTasks>, submissions: { name: string; priority: PriorityName }[]): Promise<string[]> {
  const started: string[] = [];
  let unblock = () => {};
  const blocker = pool.runIo(() => new Promise<void>((resolve) => { unblock = resolve; }), { label: 'blocker' });
  const all = submissions.map(({ name, priority }) => pool.runIo(() => { started.push(name); }, { label: name, priority }));
  unblock();
  await Promise.all([blocker, ...all]);
  return started;
}

describe('priorities', () => {
  it('GIVEN queued work of every level THEN lower levels run first and FIFO holds within a level', async () => {
    const { pool } = makePool({ ioConcurrency: 1, agingMs: 0 });
    current = pool;
    const order = await startOrder(pool, [
      { name: 'low-1', priority: 'LOW' }, { name: 'normal-1', priority: 'NORMAL' }, { name: 'high-1', priority: 'HIGH' },
      { name: 'critical', priority: 'CRITICAL' }, { name: 'high-2', priority: 'HIGH' }, { name: 'low-2', priority: 'LOW' }, { name: 'normal-2', priority: 'NORMAL' },
    ]);
    expect(order).toEqual(['critical', 'high-1', 'high-2', 'normal-1', 'normal-2', 'low-1', 'low-2']);
  });

  it('GIVEN a LOW task that has waited several aging periods THEN it runs before fresher NORMAL work', async () => {
    const { pool } = makePool({ ioConcurrency: 1, agingMs: 20 });
    current = pool;
    const started: string[] = [];
    let unblock = () => {};
    const blocker = pool.runIo(() => new Promise<void>((resolve) => { unblock = resolve; }), { label: 'blocker' });
    const low = pool.runIo(() => { started.push('old-low'); }, { priority: 'LOW' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const normal = pool.runIo(() => { started.push('new-normal'); }, { priority: 'NORMAL' });
    unblock();
    await Promise.all([blocker, low, normal]);
    expect(started).toEqual(['old-low', 'new-normal']);
  });

  it('GIVEN a cold pool whose only thread is busy WHEN CRITICAL, NORMAL then LOW work arrives while threads start THEN it starts in priority order', async () => {
    const { pool } = makePool({ minThreads: 1, maxThreads: 3 });
    current = pool;
    const hold = newGate();
    const holder = pool.submit('gate', hold, { label: 'holder' });
    await until(() => pool.get(holder.id)?.state === 'RUNNING', 'the only thread held');
    const gate = newGate();
    const [critical, normal, low] = (['CRITICAL', 'NORMAL', 'LOW'] as const).map((priority) => pool.submit('gate', gate, { priority, label: priority }));
    const task = (handle: { id: number } | undefined) => pool.get(handle?.id ?? 0);
    await until(() => pool.stats().running.cpu === 3, 'every thread started and busy');
    expect([critical, normal, low].map((h) => task(h)?.state)).toEqual(['RUNNING', 'RUNNING', 'QUEUED']);
    expect(task(critical)?.startedAt?.localeCompare(task(normal)?.startedAt ?? '')).toBeLessThanOrEqual(0);
    openGate(hold);
    await until(() => task(low)?.state === 'RUNNING', 'LOW running');
    expect(task(low)?.workerId).toBe(task(holder)?.workerId);
    openGate(gate);
    await Promise.all([holder, critical, normal, low].map((h) => h?.result));
  });

  it('GIVEN every bulk thread busy with history work THEN a HIGH task starts at once on the reserved thread', async () => {
    const { pool } = makePool({ minThreads: 2, maxThreads: 2, interactiveShare: 0.5 });
    current = pool;
    const gate = newGate();
    const bulk = Array.from({ length: 6 }, () => pool.submit('gate', gate, { priority: 'LOW', label: 'history' }));
    await until(() => pool.stats().running.cpu === 1, 'one bulk task running');
    expect(pool.stats().capacity.reservedInteractiveThreads).toBe(1);
    expect(pool.stats().queue.byPriority.LOW).toBe(5);
    const interactive = pool.submit('ping', 1, { priority: 'HIGH', label: '/stats' });
    expect(pool.get(interactive.id)?.state).toBe('RUNNING');
    await interactive.result;
    expect(bulk.filter((h) => pool.get(h.id)?.state === 'RUNNING')).toHaveLength(1);
    openGate(gate);
    await Promise.all(bulk.map((h) => h.result));
  });
});
