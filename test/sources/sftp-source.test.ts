import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSftpPool, createSftpSource, newDeathLogCursor, newServerLogCursor, readDeathLogUpdate, readServerLogUpdate,
  SourceError, type SftpPool, type SftpServerConfig,
} from '../../src/sources/index.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { applyDeathLogUpdate, sourceBehaviour } from './source-behaviour.js';

const LIVE = '2025.05.15-00.00.00.csv';

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('SFTP source against a real OpenSSH server on loopback', () => {
  let sshd: Sshd;
  let pool: SftpPool;
  const events: string[] = [];
  const account = (extra: Partial<SftpServerConfig> = {}): SftpServerConfig => ({
    host: sshd.host, port: sshd.port, username: sshd.user, password: sshd.password, operationTimeoutMs: 5_000, ...extra,
  });
  const sourceFor = (extra: Partial<SftpServerConfig> = {}, p: SftpPool = pool) =>
    createSftpSource(account(extra), { pool: p, onEvent: (e, d) => events.push(`${e} ${d.where} ${d.message ?? ''}`), debug: (m) => events.push(m) });

  beforeAll(async () => {
    sshd = await startSshd();
    pool = createSftpPool({ maxPerHost: 3 });
  });
  afterAll(async () => {
    await pool?.close();
    await sshd?.stop();
  });

  describe('shared behaviour', () => {
    let shared: ReturnType<typeof sourceFor> | undefined;
    sourceBehaviour({ disk: () => sshd.root, source: () => (shared ??= sourceFor()) });
  });

  it('logs in with a private key as well as a password, and trusts the first host key it sees', async () => {
    const learned: string[] = [];
    const keyed = createSftpSource({ host: sshd.host, port: sshd.port, username: sshd.user, privateKey: sshd.privateKey },
      { pool: createSftpPool(), onHostKeyLearned: (k) => learned.push(k), onEvent: () => undefined });
    const probe = await keyed.probe();
    expect(probe).toEqual({ hostKey: sshd.hostKeyFingerprint(), firstUse: true });
    expect(learned).toEqual([sshd.hostKeyFingerprint()]);
    const pinned = sourceFor({ hostKey: probe.hostKey }, createSftpPool());
    expect(await pinned.probe()).toEqual({ hostKey: probe.hostKey, firstUse: false });
  });

  it('a wrong password gives auth-failed without the password, and a later retry loses nothing', async () => {
    const text = Buffer.from('Log file open, 05/17/25 02:01:30\nline\n');
    writeFileSync(join(sshd.root, 'auth.log'), text);
    const cursor = newServerLogCursor('auth.log');
    const wrong = sourceFor({ username: sshd.user, password: 'not-the-Password-42' }, createSftpPool());
    const error = await failure(readServerLogUpdate(wrong, cursor));
    expect(error.kind).toBe('auth-failed');
    expect(error.message).toContain(`${sshd.host}:${sshd.port}`);
    expect(error.message).not.toContain('not-the-Password-42');
    expect(events.join('\n')).not.toContain('not-the-Password-42');
    expect(events.join('\n')).not.toContain(sshd.password);
    const later = await readServerLogUpdate(sourceFor(), cursor);
    expect(Buffer.from(later.chunk?.bytes ?? [])).toEqual(text);
  });

  it('a closed port gives unreachable', async () => {
    const closed = await startSshd();
    const port = closed.port;
    await closed.stop();
    const error = await failure(sourceFor({ port }, createSftpPool()).stat('.'));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain('connection refused');
  });

  it('refuses a changed host key, naming the host and both fingerprints', async () => {
    const own = await startSshd();
    try {
      const config = { host: own.host, port: own.port, username: own.user, password: own.password };
      const ownPool = createSftpPool();
      const source = createSftpSource(config, { pool: ownPool, onEvent: () => undefined });
      const { hostKey } = await source.probe();
      const stored = own.hostKeyFingerprint();
      await own.restart({ newHostKey: true });
      const presented = own.hostKeyFingerprint();
      expect(presented).not.toBe(stored);
      // The pooled connection died with the old server: the replacement meets the new key.
      const error = await failure(source.stat('.'));
      expect(error.kind).toBe('host-key-changed');
      for (const part of [`${own.host}:${own.port}`, stored, presented]) expect(error.message).toContain(part);
      // A fresh source with the stored pin is refused too (what happens after a bot restart).
      const again = await failure(createSftpSource({ ...config, hostKey }, { pool: createSftpPool(), onEvent: () => undefined }).stat('.'));
      expect(again.kind).toBe('host-key-changed');
      await ownPool.close();
    } finally {
      await own.stop();
    }
  });

  it('a server that stops answering mid-session times out within the operation timeout, and the pool recovers', async () => {
    const dir = 'frozen';
    mkdirSync(join(sshd.root, dir), { recursive: true });
    const csv = fixtureBytes(`csv-9col/${LIVE}`);
    writeFileSync(join(sshd.root, dir, LIVE), csv);
    const frozenPool = createSftpPool({ maxPerHost: 2 });
    const source = sourceFor({ operationTimeoutMs: 1_500 }, frozenPool);
    await source.stat(dir);
    const cursor = newDeathLogCursor(dir);
    const pids = sshd.freezeSessions();
    expect(pids.length).toBeGreaterThan(0);
    try {
      // The operation timeout, not a connect or keepalive one, ends the wait: the message names it.
      const error = await failure(readDeathLogUpdate(source, cursor, { now: 0 }));
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain('did not answer within 1.5 s');
    } finally {
      sshd.thawSessions(pids);
    }
    const update = applyDeathLogUpdate(await readDeathLogUpdate(source, cursor, { now: 30_000 }));
    expect(update.cursor.file?.offset).toBe(csv.length);
    await frozenPool.close();
  });

  it('says permission denied for a file the account may not read', async () => {
    writeFileSync(join(sshd.root, 'secret.log'), 'x');
    chmodSync(join(sshd.root, 'secret.log'), 0o600);
    const error = await failure(sourceFor().read('secret.log', { start: 0 }));
    expect(error.kind).toBe('permission-denied');
  });

  it('50 servers ticking at once on one process all get their bytes, through at most 3 connections per account', async () => {
    const servers = Array.from({ length: 50 }, (_, i) => `fleet/host_${i}`);
    const csv = fixtureBytes(`csv-9col/${LIVE}`);
    const log = fixtureBytes('serverlog/Deadside.synthetic.log');
    for (const s of servers) {
      mkdirSync(join(sshd.root, s, 'actual1/deathlogs/world_0'), { recursive: true });
      mkdirSync(join(sshd.root, s, 'Logs'), { recursive: true });
      writeFileSync(join(sshd.root, s, 'actual1/deathlogs/world_0', LIVE), csv);
      writeFileSync(join(sshd.root, s, 'Logs/Deadside.log'), log);
    }
    for (const maxPerHost of [3, 50]) {
      const fleetPool = createSftpPool({ maxPerHost });
      const results = await Promise.all(servers.map(async (s) => {
        const source = sourceFor({}, fleetPool);
        const [deaths, serverLog] = await Promise.all([
          readDeathLogUpdate(source, newDeathLogCursor(`${s}/actual1/deathlogs/world_0`), { now: 0 }),
          readServerLogUpdate(source, newServerLogCursor(`${s}/Logs/Deadside.log`)),
        ]);
        return { deaths: deaths.chunks[0]?.bytes.length, log: serverLog.chunk?.bytes.length };
      }));
      expect(results).toEqual(servers.map(() => ({ deaths: csv.length, log: log.length })));
      const open = Object.values(fleetPool.snapshot()).reduce((n, s) => n + s.idle + s.busy, 0);
      expect(open).toBeLessThanOrEqual(maxPerHost);
      await fleetPool.close();
    }
  });
});

describe('SFTP source with legacy algorithms', () => {
  let legacy: Sshd;
  let modern: Sshd;
  beforeAll(async () => { [legacy, modern] = await Promise.all([startSshd({ legacy: true }), startSshd()]); });
  afterAll(async () => { await Promise.all([legacy?.stop(), modern?.stop()]); });
  const legacyOnly = { kex: ['diffie-hellman-group14-sha1'], serverHostKey: ['ssh-rsa'], cipher: ['aes128-cbc'], hmac: ['hmac-sha1'] };

  it('connects to an old host offering only ssh-rsa, diffie-hellman-group14-sha1, aes128-cbc and hmac-sha1', async () => {
    const legacyPool = createSftpPool();
    const source = createSftpSource({
      host: legacy.host, port: legacy.port, username: legacy.user, password: legacy.password, algorithms: legacyOnly,
    }, { pool: legacyPool, onEvent: () => undefined });
    expect((await source.probe()).hostKey).toBe(legacy.hostKeyFingerprint());
    await legacyPool.close();
    // The same offer fails against a modern server: the lists really are what was negotiated.
    const refused = await failure(createSftpSource({
      host: modern.host, port: modern.port, username: modern.user, password: modern.password, algorithms: legacyOnly,
    }, { pool: createSftpPool(), onEvent: () => undefined }).stat('.'));
    expect(refused.kind).toBe('bad-config');
    expect(refused.message).toMatch(/share no .*algorithm/);
  });

  it('names an unknown algorithm as a settings problem', async () => {
    const error = await failure(createSftpSource({
      host: legacy.host, port: legacy.port, username: legacy.user, password: legacy.password, algorithms: { cipher: ['rot13-cbc'] },
    }, { pool: createSftpPool(), onEvent: () => undefined }).stat('.'));
    expect(error.kind).toBe('bad-config');
    expect(error.message).toContain('rot13-cbc');
  });
});
