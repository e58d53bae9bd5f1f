import { mkdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeathLog, summarize } from '../../parsers/index.js';
import { toStatsReport } from '../../src/cli/stats-report.js';
import { realDeathLogs, referenceFigures } from '../helpers/fixtures.js';
import type { FeedItem } from '../../src/ingest/feed.js';
import { createServerWatch } from '../../src/ingest/server-watch.js';
import { serverKey } from '../../src/ingest/scheduler.js';
import { runTick } from '../../src/ingest/tick.js';
import { ALICE, BOB, CARL, row, startPipeline, type Pipeline } from './harness.js';

const kills = (items: readonly FeedItem[]) => items.filter((i) => i.kind === 'kill').map((i) => (i.kind === 'kill' ? `${i.event.killerName}>${i.event.victimName}@${i.event.line}` : ''));
const announced = (items: readonly FeedItem[]) => items.filter((i) => i.kind === 'announcement').map((i) => (i.kind === 'announcement' ? i.announcement.kind : ''));

describe('a tick: new bytes in, figures stored once, news published once', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('tick'); });
  afterAll(async () => { await p.close(); });

  it('GIVEN a server never read THEN the first tick stores the history silently, later ticks publish only new kills', async () => {
    const s = await p.addServer('alpha');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB) + row('2025.05.15-10.01.00', ALICE, CARL));
    s.rewriteServerLog('Log file open, 05/15/25 09:00:00\n');
    const first = await p.tick(s);
    expect(first).toMatchObject({ rows: 2, kills: 2, catchingUp: true });
    expect(p.published).toEqual([]);

    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.02.00', BOB, ALICE));
    const second = await p.tick(s);
    expect(second).toMatchObject({ rows: 1, kills: 1, catchingUp: false });
    expect(kills(p.published)).toEqual(['Bob>Alice@3']);
    const alice = await p.store.guild(p.guildId).stats.player(ALICE[1]);
    expect(alice).toMatchObject({ kills: 2, deaths: 1, bestStreak: 2 });
  });

  it('GIVEN a row appended in pieces THEN it is counted and published exactly once, when its newline arrives', async () => {
    const s = await p.addServer('bravo');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-09.00.00', CARL, BOB));
    await p.tick(s);
    p.published.length = 0;
    const line = row('2025.05.15-10.00.00', CARL, ALICE, 'M99', 310);
    s.appendDeathLog('2025.05.15-00.00.00.csv', line.slice(0, 20));
    expect((await p.tick(s)).rows).toBe(0);
    s.appendDeathLog('2025.05.15-00.00.00.csv', line.slice(20, -1));
    expect((await p.tick(s)).rows).toBe(0);
    s.appendDeathLog('2025.05.15-00.00.00.csv', `${line.slice(-1)}${row('2025.05.15-10.05.00', CARL, BOB)}`);
    expect((await p.tick(s)).rows).toBe(2);
    expect(await p.tick(s)).toMatchObject({ rows: 0, bytesRead: 0 });
    expect(kills(p.published)).toEqual(['Carl>Alice@2', 'Carl>Bob@3']);
    const carl = await p.store.guild(p.guildId).stats.player(CARL[1], { serverId: s.watch.target.serverId });
    expect(carl).toMatchObject({ kills: 3, longestKill: 310, bestStreak: 3 });
  });

  it('GIVEN a new day file appears THEN the old one is drained first and nothing is lost', async () => {
    const s = await p.addServer('charlie');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-23.00.00', ALICE, BOB));
    await p.tick(s);
    p.published.length = 0;
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-23.59.00', ALICE, CARL));
    s.appendDeathLog('2025.05.16-00.00.00.csv', row('2025.05.16-00.01.00', BOB, ALICE));
    const report = await p.tick(s);
    expect(report.rows).toBe(2);
    expect(kills(p.published)).toEqual(['Alice>Carl@2', 'Bob>Alice@1']);
    const totals = await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);
    expect(totals).toMatchObject({ kills: 3 });
  });

  it('GIVEN reading fell more than one day file behind (the bot was away) THEN the missed days are counted silently, and news starts again after', async () => {
    const s = await p.addServer('charlie-away');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-23.00.00', ALICE, BOB));
    await p.tick(s);
    p.published.length = 0;
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-23.59.00', ALICE, CARL));
    s.appendDeathLog('2025.05.16-00.00.00.csv', row('2025.05.16-00.01.00', BOB, ALICE));
    s.appendDeathLog('2025.05.17-00.00.00.csv', row('2025.05.17-00.01.00', CARL, ALICE));
    expect(await p.tick(s)).toMatchObject({ rows: 3, catchingUp: true });
    expect(kills(p.published)).toEqual([]);
    s.appendDeathLog('2025.05.17-00.00.00.csv', row('2025.05.17-00.02.00', BOB, CARL));
    expect(await p.tick(s)).toMatchObject({ rows: 1, catchingUp: false });
    expect(kills(p.published)).toEqual(['Bob>Carl@2']);
    const totals = await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);
    expect(totals).toMatchObject({ rows: 5, kills: 5 });
  });

  it('GIVEN Deadside.log THEN joins and leaves are announced, and a restarted log resets who is online', async () => {
    const s = await p.addServer('delta');
    s.rewriteServerLog('Log file open, 05/17/25 02:01:30\nLogInit: Command Line: -log -playersmaxcount=40\n');
    await p.tick(s);
    p.published.length = 0;
    s.appendServerLog([
      `[2025.05.17-02.03.10:514][412]LogNet: Join request: /Game/Maps/world_0/World_0?eosid=|${ALICE[1]}?Name=Alice?SplitscreenCount=1`,
      `[2025.05.17-02.03.14:733][533]LogOnline: Warning: Player |${ALICE[1]} successfully registered!`,
      `[2025.05.17-02.04.02:118][901]LogNet: Join request: /Game/Maps/world_0/World_0?eosid=|${BOB[1]}?Name=Bob?SplitscreenCount=1`,
      '',
    ].join('\n'));
    await p.tick(s);
    expect(announced(p.published)).toEqual(['player-joined']);
    expect(p.published.filter((i) => i.kind === 'player-count').at(-1)).toMatchObject({ online: 1, queued: 1, maxPlayers: 40 });
    expect((await p.store.guild(p.guildId).online.get(s.watch.target.serverId)).players.map((x) => x.name).sort()).toEqual(['Alice', 'Bob']);

    s.rewriteServerLog('Log file open, 05/17/25 03:00:00\n');
    await p.tick(s);
    expect(p.published.filter((i) => i.kind === 'player-count').at(-1)).toMatchObject({ online: 0, queued: 0 });
    expect((await p.store.guild(p.guildId).online.get(s.watch.target.serverId)).players).toEqual([]);
  });

  it('GIVEN nothing new THEN a tick writes nothing to the database', async () => {
    const s = await p.addServer('echo');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    s.rewriteServerLog('Log file open, 05/15/25 09:00:00\n');
    await p.tick(s);
    await p.tick(s);
    // Count what the tick hands to the store, whatever database is behind it...
    const handed = { adds: 0, saves: 0 };
    const counting = {
      ...p.deps,
      writer: { ...p.deps.writer, add: (...a: Parameters<typeof p.deps.writer.add>) => { handed.adds += 1; return p.deps.writer.add(...a); } },
      online: { ...p.deps.online, save: (...a: Parameters<typeof p.deps.online.save>) => { handed.saves += 1; return p.deps.online.save(...a); } },
    };
    const before = p.db.dev?.stats().commands ?? {};
    const report = await p.pool.runIo((ctx) => runTick(counting, s.watch, ctx), { label: 'tick', key: serverKey(s.watch.target.serverId), exclusive: true });
    const after = p.db.dev?.stats().commands ?? {};
    expect(report).toMatchObject({ rows: 0, bytesRead: 0 });
    expect(handed).toEqual({ adds: 0, saves: 0 });
    // ...and, on the stand-in, what reached the wire.
    const writes = ['insert', 'update', 'delete', 'findAndModify'].map((c) => (after[c] ?? 0) - (before[c] ?? 0));
    expect(p.db.dev === null || writes.every((n) => n === 0)).toBe(true);
  });
});

describe('a tick when things go wrong', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('tick-faults'); });
  afterAll(async () => { await p.close(); });
  const tickWith = (s: Awaited<ReturnType<Pipeline['addServer']>>, deps: Partial<Pipeline['deps']>) =>
    p.pool.runIo((ctx) => runTick({ ...p.deps, ...deps }, s.watch, ctx), { label: 'tick', key: serverKey(s.watch.target.serverId), exclusive: true });

  it('GIVEN a backlog bigger than one read THEN nothing old is posted until the reading has caught up, and then new kills are', async () => {
    const s = await p.addServer('backlog');
    const rows = Array.from({ length: 30 }, (_, i) => row(`2025.05.15-10.${String(i).padStart(2, '0')}.00`, ALICE, BOB)).join('');
    s.appendDeathLog('2025.05.15-00.00.00.csv', rows);
    const reports = [];
    for (let i = 0; i < 20; i += 1) reports.push(await tickWith(s, { maxReadBytes: 1_000 }));
    expect(reports.reduce((n, r) => n + r.rows, 0)).toBe(30);
    expect(p.published).toEqual([]);
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-11.00.00', BOB, ALICE));
    await tickWith(s, { maxReadBytes: 1_000 });
    expect(kills(p.published)).toEqual(['Bob>Alice@31']);
  });

  it('GIVEN the bot away while a day file bigger than one read and the live file were written THEN none of it is posted, only what comes after', async () => {
    const s = await p.addServer('away-long');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-23.00.00', ALICE, BOB));
    await tickWith(s, {});
    p.published.length = 0;
    s.appendDeathLog('2025.05.16-00.00.00.csv', Array.from({ length: 60 }, (_, i) => row(`2025.05.16-10.${String(i).padStart(2, '0')}.00`, ALICE, BOB)).join(''));
    s.appendDeathLog('2025.05.17-00.00.00.csv', row('2025.05.17-00.01.00', CARL, ALICE) + row('2025.05.17-00.02.00', CARL, BOB));
    // Ticks 10 s apart by the bot's clock, so the folder's steady mtime is trusted and not listed every tick.
    let clock = Date.now();
    const tickLater = () => { clock += 10_000; return tickWith(s, { maxReadBytes: 1_000, now: () => clock }); };
    let read = 0;
    for (let i = 0; i < 40 && read < 62; i += 1) read += (await tickLater()).rows;
    expect(read).toBe(62);
    expect(p.published).toEqual([]);
    s.appendDeathLog('2025.05.17-00.00.00.csv', row('2025.05.17-00.03.00', BOB, CARL));
    await tickLater();
    expect(kills(p.published)).toEqual(['Bob>Carl@3']);
  });

  it('GIVEN a subscriber that throws THEN the other subscribers still get every kill and the tick succeeds', async () => {
    const s = await p.addServer('throwing');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    await p.tick(s);
    const unsubscribe = p.feed.subscribe(() => { throw new Error('Discord is down'); });
    p.published.length = 0;
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.01.00', ALICE, CARL) + row('2025.05.15-10.02.00', CARL, BOB));
    await expect(p.tick(s)).resolves.toMatchObject({ rows: 2 });
    unsubscribe();
    expect(kills(p.published)).toEqual(['Alice>Carl@2', 'Carl>Bob@3']);
  });

  it('GIVEN more kills in one read than are carried back THEN all are counted and the newest are posted', async () => {
    const s = await p.addServer('flood');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-09.00.00', ALICE, BOB));
    await p.tick(s);
    p.published.length = 0;
    const many = Array.from({ length: 5_200 }, (_, i) => row(`2025.05.15-10.${String(Math.floor(i / 60) % 60).padStart(2, '0')}.${String(i % 60).padStart(2, '0')}`, ALICE, BOB)).join('');
    s.appendDeathLog('2025.05.15-00.00.00.csv', many);
    const report = await p.tick(s);
    expect(report).toMatchObject({ rows: 5_200, kills: 5_200, eventsOmitted: 200 });
    expect(kills(p.published)).toHaveLength(5_000);
    expect(kills(p.published).at(-1)).toBe('Alice>Bob@5201');
    expect(await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId)).toMatchObject({ kills: 5_201 });
  });

  it('GIVEN paths typed with ./ and a trailing slash THEN the stored position is found again after a restart', async () => {
    const s = await p.addServer('typed-paths');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    const relative = (abs: string) => abs.slice(s.root.length + 1);
    const typed = (dir: string, log: string) => createServerWatch({ target: s.watch.target, name: 'typed-paths', source: s.watch.source, intervalMs: 1_000, configured: { deathLogDir: dir, serverLogPath: log } });
    s.rewriteServerLog('Log file open, 05/15/25 09:00:00\n');
    const first = { ...s, watch: typed(`./${relative(s.deathLogDir)}/`, `./${relative(s.serverLog)}`) };
    await p.tick(first);
    const restarted = { ...s, watch: typed(relative(s.deathLogDir), relative(s.serverLog)) };
    expect(await p.tick(restarted)).toMatchObject({ rows: 0, bytesRead: 0 });
    expect(await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId)).toMatchObject({ rows: 1 });
  });
});

describe('a tick on real files and new servers', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('tick-real'); });
  afterAll(async () => { await p.close(); });

  it('GIVEN a real console-server death log arriving in uneven pieces THEN the stored figures equal the parser\'s for the whole file', async () => {
    const file = realDeathLogs().find((f) => f.name === '2025.05.15-00.00.00.csv');
    if (!file) throw new Error('fixture 2025.05.15-00.00.00.csv is missing');
    const s = await p.addServer('real-console');
    const text = file.bytes.toString('utf8');
    const cuts = [0, 1, 5_000, 5_017, 20_003, 31_000, text.length];
    for (let i = 1; i < cuts.length; i += 1) {
      s.appendDeathLog(file.name, text.slice(cuts[i - 1], cuts[i]));
      await p.tick(s);
    }
    const expected = toStatsReport(summarize(parseDeathLog(file.name, file.bytes)));
    const { firstTime: _f, lastTime: _l, ...totals } = await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);
    expect(totals).toEqual(expected.totals);
    expect(totals.rows).toBe(referenceFigures().rowsPerFile.get(file.name));
    const players = await p.store.guild(p.guildId).stats.players({ serverId: s.watch.target.serverId });
    expect(players.map((x) => ({ id: x.playerId, kills: x.kills, deaths: x.deaths, suicides: x.suicides, longestKill: x.longestKill, bestStreak: x.bestStreak, weapons: x.weapons })))
      .toEqual(expected.players.map((x) => ({ id: x.id, kills: x.kills, deaths: x.deaths, suicides: x.suicides, longestKill: x.longestKill, bestStreak: x.bestStreak, weapons: x.weapons })));
  });

  it('GIVEN a server whose death-log folder appears later THEN it is found again after a while and read from then on', async () => {
    const s = await p.addServer('late-folder');
    p.published.length = 0;
    const folder = s.deathLogDir.slice(0, s.deathLogDir.indexOf('/actual1') + '/actual1'.length);
    rmSync(folder, { recursive: true, force: true });
    s.rewriteServerLog('Log file open, 05/15/25 09:00:00\n');
    let now = Date.now();
    const deps = { ...p.deps, now: () => now };
    const tick = () => p.pool.runIo((ctx) => runTick(deps, s.watch, ctx), { label: 'tick', key: serverKey(s.watch.target.serverId), exclusive: true });
    await tick();
    expect(s.watch.layout?.deathLogDir).toBeNull();
    mkdirSync(s.deathLogDir, { recursive: true });
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    await tick();
    expect(s.watch.layout?.deathLogDir).toBeNull(); // not looked for again so soon
    now += 6 * 60_000;
    await tick();
    expect(s.watch.layout?.deathLogDir).toMatch(/deathlogs\/world_0$/);
    expect(await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId)).toMatchObject({ rows: 1 });
    expect(kills(p.published)).toEqual([]); // what was there before it was found is history
  });
});
