import { describe, expect, it } from 'vitest';
import { createSftpPool, hostOfKey } from '../../src/sources/sftp-pool.js';
import type { SftpConnection } from '../../src/sources/sftp-connection.js';

/**
 * The pool's own accounting, with connections that hold no socket: what is under test is who gets a
 * lease and who waits (the SFTP source's tests run the pool against a real sshd).
 */
function connection(): SftpConnection {
  let alive = true;
  return {
    client: {} as SftpConnection['client'], hostKey: 'SHA256:test',
    get alive() { return alive; },
    destroy: () => { alive = false; },
    end: () => { alive = false; return Promise.resolve(); },
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the SFTP pool: operations per host', () => {
  it('GIVEN pool keys THEN the host is host:port, IPv6 included', () => {
    expect(hostOfKey('games.example.net:2022:eu1:ab12')).toBe('games.example.net:2022');
    expect(hostOfKey('::1:22:eu1:ab12')).toBe('::1:22');
  });

  it('GIVEN many game servers with their own logins on one host THEN at most maxOpsPerHost operations run there at once, and another host is not held up', async () => {
    const pool = createSftpPool({ maxPerHost: 3, maxOpsPerHost: 4 });
    const granted: string[] = [];
    const lease = (key: string) => pool.acquire(key, () => Promise.resolve(connection())).then((c) => { granted.push(key); return { key, c }; });
    // Ten servers on host A (each its own account) ask at once; one on host B.
    const onA = Array.from({ length: 10 }, (_, i) => lease(`a.example:22:server${i}:t`));
    const onB = lease('b.example:22:other:t');
    await settle();
    expect(granted.filter((k) => k.startsWith('a.example')).length).toBe(4);
    expect(granted).toContain('b.example:22:other:t');
    expect(pool.hostSnapshot()['a.example:22']).toEqual({ busy: 4, waiting: 6 });

    // Each finished operation lets exactly one waiting one in, until all ten have run.
    const done = await Promise.all(onA.slice(0, 4));
    for (const { key, c } of done) pool.release(key, c, true);
    await settle();
    expect(granted.filter((k) => k.startsWith('a.example')).length).toBe(8);
    const rest = await Promise.all(onA.slice(4, 8));
    for (const { key, c } of rest) pool.release(key, c, false);
    await settle();
    expect(granted.filter((k) => k.startsWith('a.example')).length).toBe(10);
    expect(pool.hostSnapshot()['a.example:22']).toEqual({ busy: 2, waiting: 0 });
    for (const { key, c } of [...await Promise.all(onA.slice(8)), await onB]) pool.release(key, c, true);
    await pool.close();
  });

  it('GIVEN a login that fails THEN its place on the host is given back', async () => {
    const pool = createSftpPool({ maxOpsPerHost: 1 });
    await expect(pool.acquire('a.example:22:bad:t', () => Promise.reject(new Error('All configured authentication methods failed')))).rejects.toThrow(/authentication/);
    const ok = await pool.acquire('a.example:22:good:t', () => Promise.resolve(connection()));
    expect(pool.hostSnapshot()['a.example:22']).toEqual({ busy: 1, waiting: 0 });
    pool.release('a.example:22:good:t', ok, true);
    await pool.close();
  });

  it('GIVEN operations waiting for the host when the bot shuts down THEN they are refused in plain words', async () => {
    const pool = createSftpPool({ maxOpsPerHost: 1 });
    const first = await pool.acquire('a.example:22:x:t', () => Promise.resolve(connection()));
    const waiting = pool.acquire('a.example:22:y:t', () => Promise.resolve(connection()));
    await settle();
    await pool.close();
    await expect(waiting).rejects.toThrow('The SFTP connection pool is closed: the bot is shutting down.');
    pool.release('a.example:22:x:t', first, true);
  });
});
