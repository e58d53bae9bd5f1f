import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { runHistory } from '../../src/ingest/history-run.js';
import { createServerWatch } from '../../src/ingest/server-watch.js';
import { createSftpPool, createSftpSource, type SftpPool, type SftpServerConfig } from '../../src/sources/index.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { referenceSummary } from '../store/feed.js';
import { ALICE, BOB, CARL, row, startPipeline, type Pipeline, type TestServer } from './harness.js';

const DAY = '2025.05.15-00.00.00.csv';

describe('the data path over a real SFTP server', () => {
  let p: Pipeline;
  let sshd: Sshd;
  let sftp: SftpPool;
  beforeAll(async () => {
    [p, sshd] = await Promise.all([startPipeline('sftp'), startSshd()]);
    sftp = createSftpPool({ maxPerHost: 3 });
  });
  afterAll(async () => {
    await p.close();
    await sftp.close();
    await sshd.stop();
  });

  const config = (over: Partial<SftpServerConfig> = {}): SftpServerConfig => ({
    host: sshd.host, port: sshd.port, username: sshd.user, password: sshd.password, operationTimeoutMs: 1_500, connectTimeoutMs: 3_000, ...over,
  });
  const sftpServer = (name: string, layout: 'host' | 'saved' = 'host', over: Partial<SftpServerConfig> = {}) =>
    p.addServerAt(name, sshd.root, () => createSftpSource(config(over), { pool: sftp }), layout);
  const clear = (s: TestServer) => rmSync(join(s.root, s.deathLogDir.slice(s.root.length + 1).split('/')[0] ?? ''), { recursive: true, force: true });
  const totals = async (s: TestServer) => p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);

  for (const layout of ['host', 'saved'] as const) {
    it(`GIVEN the ${layout === 'host' ? '{host}_{serverId}' : 'Deadside/Saved'} layout THEN the files are found and rows appended in pieces are counted once`, async () => {
      const s = await sftpServer(`layout-${layout}`, layout);
      s.appendDeathLog(DAY, row('2025.05.15-10.00.00', ALICE, BOB));
      s.rewriteServerLog('Log file open, 05/15/25 09:00:00\n');
      await p.tick(s);
      expect(s.watch.layout?.deathLogDir).toMatch(/actual1\/deathlogs\/world_0$/);
      expect(s.watch.layout?.serverLogPath).toMatch(/Logs\/Deadside\.log$/);
      const line = row('2025.05.15-10.05.00', BOB, CARL);
      s.appendDeathLog(DAY, line.slice(0, 33));
      await p.tick(s);
      s.appendDeathLog(DAY, line.slice(33));
      await p.tick(s);
      await p.tick(s);
      expect(await totals(s)).toMatchObject({ rows: 2, kills: 2 });
      clear(s);
    });
  }

  it('GIVEN a wrong password THEN the tick fails in plain words, and with the right one nothing is lost', async () => {
    const s = await sftpServer('wrong-password', 'host', { password: 'not-the-password' });
    s.appendDeathLog(DAY, row('2025.05.15-10.00.00', ALICE, BOB));
    await expect(p.tick(s)).rejects.toMatchObject({ kind: 'auth-failed' });
    await expect(p.tick(s)).rejects.toThrow(/refused the username or password/i);
    const fixed = { ...s, watch: createServerWatch({ target: s.watch.target, name: s.watch.name, source: createSftpSource(config(), { pool: sftp }), intervalMs: 1_000 }) };
    await p.tick(fixed);
    expect(await totals(s)).toMatchObject({ rows: 1 });
    clear(s);
  });

  it('GIVEN a closed port THEN the tick fails as unreachable', async () => {
    const s = await sftpServer('refused', 'host', { port: 1 });
    await expect(p.tick(s)).rejects.toMatchObject({ kind: 'unreachable' });
    clear(s);
  });

  it('GIVEN a server that stops answering mid-read THEN the tick times out, and after it answers again nothing is lost', async () => {
    const s = await sftpServer('frozen');
    s.appendDeathLog(DAY, row('2025.05.15-10.00.00', ALICE, BOB));
    await p.tick(s);
    s.appendDeathLog(DAY, row('2025.05.15-10.01.00', ALICE, CARL));
    const frozen = sshd.freezeSessions();
    await expect(p.tick(s)).rejects.toMatchObject({ kind: 'timeout' });
    sshd.thawSessions(frozen);
    await p.tick(s);
    expect(await totals(s)).toMatchObject({ rows: 2, kills: 2 });
    clear(s);
  });

  it('GIVEN a history on the host THEN a history run over SFTP counts every row once, slices cut anywhere in a row', async () => {
    const s = await sftpServer('history');
    const days = generateDeathLogHistory({ seed: 5, days: 2, rowsPerDay: 3_000, players: 80, format: 'mixed' });
    for (const d of days) s.appendDeathLog(d.name, d.text);
    const expected = referenceSummary(days.map((d) => ({ name: d.name, bytes: Buffer.from(d.text) })));
    const report = await p.pool.runIo((ctx) => runHistory({ writer: p.writer, now: Date.now }, s.watch, ctx, { fresh: true, finalizeNewest: true, sliceBytes: 50_000 }));
    expect(report).toMatchObject({ files: 2, rows: 6_000, malformed: 0 });
    const { firstTime: _f, lastTime: _l, ...stored } = await totals(s);
    expect(stored).toEqual(expected.totals);
    const players = await p.store.guild(p.guildId).stats.players({ serverId: s.watch.target.serverId });
    expect(new Map(players.map((x) => [x.playerId, [x.kills, x.deaths, x.suicides, x.bestStreak]])))
      .toEqual(new Map([...expected.players.values()].map((x) => [x.id, [x.kills, x.deaths, x.suicides, x.streak.best]])));
    clear(s);
  }, 120_000);

  it('GIVEN 50 servers THEN they all tick at once on one process and every row is counted exactly once', async () => {
    const servers: TestServer[] = [];
    for (let i = 0; i < 50; i += 1) {
      const s = await sftpServer(`many-${i}`);
      for (let r = 0; r <= i % 5; r += 1) s.appendDeathLog(DAY, row(`2025.05.15-10.0${r}.00`, ALICE, BOB));
      servers.push(s);
    }
    // Several servers share one account here, so each is pointed at its own folder, as an admin would.
    const pinned = servers.map((s) => {
      const rel = (abs: string) => abs.slice(sshd.root.length + 1);
      return { ...s, watch: createServerWatch({
        target: s.watch.target, name: s.watch.name, source: s.watch.source, intervalMs: 1_000,
        configured: { deathLogDir: rel(s.deathLogDir), serverLogPath: rel(s.serverLog) },
      }) };
    });
    for (const s of servers) s.rewriteServerLog('Log file open, 05/15/25 09:00:00\n');
    const reports = await Promise.all(pinned.map((s) => p.tick(s)));
    expect(reports.map((r) => r.rows)).toEqual(servers.map((_, i) => (i % 5) + 1));
    for (const [i, s] of servers.entries()) expect((await totals(s)).rows).toBe((i % 5) + 1);
    for (const s of servers) clear(s);
  }, 120_000);
});
