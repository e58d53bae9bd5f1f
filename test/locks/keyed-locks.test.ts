import { describe, expect, it } from 'vitest';
import { createKeyedLocks } from '../../src/locks/index.js';

/** Lets every promise callback queued so far run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('keyed locks', () => {
  it('GIVEN two holders of one key THEN the second waits for the first to release; another key does not wait', async () => {
    const locks = createKeyedLocks();
    const releaseA1 = await locks.acquire('server-a');
    let a2Holds = false;
    const a2 = locks.acquire('server-a').then((release) => { a2Holds = true; return release; });
    const releaseB1 = await locks.acquire('server-b');
    await settle();
    expect(a2Holds).toBe(false);
    releaseA1();
    (await a2)();
    expect(a2Holds).toBe(true);
    releaseB1();
    expect(locks.size).toBe(0);
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
