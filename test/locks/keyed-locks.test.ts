import { describe, expect, it } from 'vitest';
import { createInFlight, createKeyedLocks } from '../../src/locks/index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('keyed locks', () => {
  it('GIVEN two holders of one key THEN the second waits for the first; another key does not wait', async () => {
    const locks = createKeyedLocks();
    const events: string[] = [];
    const a1 = locks.runExclusive('server-a', async () => { events.push('a1 start'); await tick(); events.push('a1 end'); });
    const a2 = locks.runExclusive('server-a', async () => { events.push('a2 start'); await tick(); events.push('a2 end'); });
    const b1 = locks.runExclusive('server-b', async () => { events.push('b1 start'); await tick(); events.push('b1 end'); });
    await Promise.all([a1, a2, b1]);
    expect(events.indexOf('a2 start')).toBeGreaterThan(events.indexOf('a1 end'));
    expect(events.indexOf('b1 start')).toBeLessThan(events.indexOf('a1 end'));
  });

  it('GIVEN a holder that throws THEN the lock is released and the error reaches the caller', async () => {
    const locks = createKeyedLocks();
    await expect(locks.runExclusive('k', () => { throw new Error('write failed'); })).rejects.toThrow('write failed');
    expect(locks.isLocked('k')).toBe(false);
    await expect(locks.runExclusive('k', () => 'next')).resolves.toBe('next');
  });

  it('GIVEN many keys used and released THEN none is kept, and a double release is harmless', async () => {
    const locks = createKeyedLocks();
    const releases = await Promise.all(Array.from({ length: 1000 }, (_, i) => locks.acquire(`guild-${i}`)));
    expect(locks.size).toBe(1000);
    for (const release of releases) { release(); release(); }
    expect(locks.size).toBe(0);
    const waiting = locks.acquire('x');
    const second = locks.acquire('x');
    (await waiting)();
    expect(locks.size).toBe(1);
    (await second)();
    expect(locks.size).toBe(0);
  });
});

describe('in-flight registry', () => {
  it('GIVEN a key in flight THEN a second request joins it; after finish a new one starts; a stale finish does not evict a newer run', () => {
    const inFlight = createInFlight<{ run: number }>();
    const first = inFlight.joinOrStart('refresh|a', () => ({ run: 1 }));
    const again = inFlight.joinOrStart('refresh|a', () => ({ run: 2 }));
    expect(first.joined).toBe(false);
    expect(again).toEqual({ value: first.value, joined: true });
    inFlight.finish('refresh|a', first.value);
    const next = inFlight.joinOrStart('refresh|a', () => ({ run: 3 }));
    expect(next).toEqual({ value: { run: 3 }, joined: false });
    inFlight.finish('refresh|a', first.value);
    expect(inFlight.get('refresh|a')).toBe(next.value);
    inFlight.finish('refresh|a', next.value);
    expect(inFlight.size).toBe(0);
  });
});
