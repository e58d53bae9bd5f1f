import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/ingest/feed.js';
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
    await new Promise((r) => setTimeout(r, 2_100)); // SFTP-style whole-second folder mtimes: let the listing settle
    const report = await p.tick(s);
    expect(report.rows).toBe(2);
    expect(kills(p.published)).toEqual(['Alice>Carl@2', 'Bob>Alice@1']);
    const totals = await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);
    expect(totals).toMatchObject({ kills: 3 });
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
    const before = p.db.dev?.stats().commands ?? {};
    const report = await p.tick(s);
    const after = p.db.dev?.stats().commands ?? {};
    expect(report).toMatchObject({ rows: 0, bytesRead: 0 });
    const writes = ['insert', 'update', 'delete', 'findAndModify'].map((c) => (after[c] ?? 0) - (before[c] ?? 0));
    if (p.db.dev) expect(writes).toEqual([0, 0, 0, 0]);
  });
});
