import { afterAll, describe, expect, it } from 'vitest';
import { makePool, sleep } from './helpers.js';

const { pool } = makePool({ ioConcurrency: 8 });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

describe('per-key exclusion', () => {
  it('GIVEN exclusive jobs for one server and another THEN same-server jobs never overlap while different servers do', async () => {
    const running = new Map<string, number>();
    let worstSameKey = 0;
    let sawTwoKeys = false;
    const job = (key: string) => pool.runIo(async () => {
      running.set(key, (running.get(key) ?? 0) + 1);
      worstSameKey = Math.max(worstSameKey, running.get(key) ?? 0);
      if ([...running.values()].filter((n) => n > 0).length > 1) sawTwoKeys = true;
      await sleep(20);
      running.set(key, (running.get(key) ?? 1) - 1);
    }, { key, exclusive: true, label: `scan ${key}` });
    await Promise.all([job('server-a'), job('server-a'), job('server-a'), job('server-b'), job('server-b')]);
    expect(worstSameKey).toBe(1);
    expect(sawTwoKeys).toBe(true);
    expect(pool.stats().locks.keysHeld).toBe(0);
  });

  it('GIVEN a job that timed out but whose work still runs THEN the next job for that server waits for the work to end', async () => {
    let stillWorking = false;
    let overlapped = false;
    const slow = pool.runIo(async () => {
      stillWorking = true;
      await sleep(150); // ignores its signal, as a half-written batch would
      stillWorking = false;
    }, { key: 'server-t', exclusive: true, timeoutMs: 30, label: 'tick' });
    await expect(slow).rejects.toMatchObject({ kind: 'timed-out' });
    expect(stillWorking).toBe(true);
    await pool.runIo(() => { overlapped = stillWorking; }, { key: 'server-t', exclusive: true, label: 'tick' });
    expect(overlapped).toBe(false);
  });

  it('GIVEN thousands of guilds seen once THEN no lock is kept for an idle guild', async () => {
    await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.runIo(() => i, { key: `guild-${i}`, exclusive: true })));
    expect(pool.stats().locks.keysHeld).toBe(0);
  });
});

describe('de-duplication', () => {
  it('GIVEN a second request for a job already running for that server THEN it joins the first instead of running again', async () => {
    let runs = 0;
    const refresh = () => pool.submitIo(async () => { runs += 1; await sleep(50); return 'leaderboard'; }, { key: 'server-a', label: 'refresh', dedupe: 'join' });
    const first = refresh();
    const second = refresh();
    expect(second).toMatchObject({ id: first.id, disposition: 'joined' });
    await expect(second.result).resolves.toBe('leaderboard');
    expect(runs).toBe(1);
    const third = refresh();
    expect(third.id).not.toBe(first.id);
    await third.result;
    expect(runs).toBe(2);
  });

  it('GIVEN a scheduled tick while the previous tick still runs THEN it is skipped and counted', async () => {
    const tick = () => pool.submitIo(() => sleep(60), { key: 'server-c', label: 'killfeed tick', dedupe: 'skip' });
    const first = tick();
    const skipped = tick();
    expect(skipped.disposition).toBe('skipped');
    expect(skipped.id).toBe(first.id);
    await first.result;
    expect(pool.stats().totals.skippedDuplicates).toBe(1);
    expect(pool.stats().locks.jobsInFlight).toBe(0);
  });
});
