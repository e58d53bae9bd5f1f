import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUILD_GRACE_MS } from '../../src/discord/guild-lifecycle.js';
import { serverKey } from '../../src/ingest/scheduler.js';
import type { GameServer } from '../../src/store/index.js';
import { until } from '../pool/helpers.js';
import { snowflake } from '../store/helpers.js';
import { killRow, makeGameFolder, type GameFolder } from './game-folder.js';
import { startBotHarness, type BotHarness } from './harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the bot joining and leaving guilds', () => {
  let h: BotHarness;
  let folder: GameFolder;
  let now = Date.now();
  const servers: Record<string, GameServer> = {};
  const watched = (serverId: string): boolean => h.app.scheduler.health().some((s) => s.serverId === serverId);

  beforeAll(async () => {
    h = await startBotHarness({ commands: [], discord: { guilds: 3 }, now: () => now });
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    for (const g of h.dev.guilds) {
      const guild = h.app.store.guild(g.id);
      const server = await guild.servers.add({ name: 'home', localPath: folder.root });
      await guild.links.link(g.member.id, '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa');
      servers[g.id] = server;
      await h.app.watcher.watch(guild, server);
      await h.app.scheduler.tickNow(server.id);
    }
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  const guildAt = (i: number) => h.dev.guilds[i] ?? h.guild;

  it('GIVEN the bot removed from a guild THEN its ticks stop at once and its data is kept', async () => {
    const g = guildAt(0);
    const server = servers[g.id]!;
    h.dev.removeBot(g.id);
    await until(() => !watched(server.id), 'the removed guild\'s server unwatched');
    const store = h.app.store.guild(g.id);
    expect((await store.servers.list()).map((s) => s.id)).toEqual([server.id]);
    expect((await store.stats.totals(server.id)).kills).toBe(1);
    expect([...(await h.app.store.membership.left()).keys()]).toEqual([g.id]);
    expect(watched(servers[guildAt(1).id]!.id)).toBe(true);
  });

  it('GIVEN the bot added back within 30 days THEN the guild carries on: its servers are watched again', async () => {
    const g = guildAt(0);
    h.dev.addBot(g.id);
    await until(() => watched(servers[g.id]!.id), 'the guild\'s server watched again');
    expect((await h.app.store.membership.left()).size).toBe(0);
  });

  it('GIVEN a Discord outage of a guild THEN nothing stops and nothing is marked', async () => {
    const g = guildAt(1);
    h.dev.guildOutage(g.id);
    await until(() => h.logs.lines.some((l) => l.guildId === g.id && String(l.msg).includes('unavailable')), 'the outage seen');
    expect(watched(servers[g.id]!.id)).toBe(true);
    expect((await h.app.store.membership.left()).size).toBe(0);
  });

  it('GIVEN a guild left more than 30 days ago THEN the sweep deletes all of its data, and keeps a guild left 29 days ago', async () => {
    const old = guildAt(0);
    const recent = guildAt(2);
    h.dev.removeBot(old.id);
    await until(() => !watched(servers[old.id]!.id), 'first guild unwatched');
    now += 2 * DAY_MS;
    h.dev.removeBot(recent.id);
    await until(() => !watched(servers[recent.id]!.id), 'second guild unwatched');
    now += GUILD_GRACE_MS - DAY_MS;
    expect(await h.app.lifecycle.sweep()).toEqual([old.id]);
    const gone = h.app.store.guild(old.id);
    expect(await gone.servers.list()).toEqual([]);
    expect((await gone.stats.totals()).kills).toBe(0);
    expect(await gone.links.list()).toEqual([]);
    expect(await gone.ingest.cursors(servers[old.id]!.id)).toEqual([]);
    expect((await h.app.store.guild(recent.id).servers.list())).toHaveLength(1);
    expect([...(await h.app.store.membership.left()).keys()]).toEqual([recent.id]);
  });

  it('GIVEN a guild in the store the bot is no longer in when it starts THEN it counts as left from then, and is not watched', async () => {
    const stranger = snowflake(4242);
    await h.app.store.guild(stranger).servers.add({ name: 'elsewhere', localPath: folder.root });
    await h.restartApp();
    const left = await h.app.store.membership.left();
    expect(left.get(stranger)?.getTime()).toBe(now);
    expect(h.app.scheduler.health().map((s) => s.guildId)).toEqual([guildAt(1).id]);
  });
});

describe('history runs when the bot leaves a guild', () => {
  let h: BotHarness;
  let folder: GameFolder;
  const guildId = (i: number): string => h.dev.guilds[i]?.id ?? '';
  const marked = async (serverId: string): Promise<boolean> => (await h.app.store.historyMarks.list()).some((m) => m.serverId === serverId);
  const rows = async (i: number, serverId: string): Promise<number> => (await h.app.store.guild(guildId(i)).stats.totals(serverId)).rows;
  /** Polls an async check (marks and figures are written after what the test waits on). */
  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const end = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  /** A paused game server (no ticks: only a history run reads it) with one kill in its death log. */
  const pausedServer = (i: number, name: string): Promise<GameServer> => h.app.store.guild(guildId(i)).servers.add({ name, localPath: folder.root, enabled: false });

  beforeAll(async () => {
    h = await startBotHarness({ commands: [], discord: { guilds: 3 } });
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN runs a restart cut short, and the bot removed from one of their guilds while offline THEN only the run of the guild it is still in continues, after login', async () => {
    const kept = await pausedServer(0, 'kept');
    const gone = await pausedServer(1, 'gone');
    for (const [i, server] of [[0, kept], [1, gone]] as const) {
      await h.app.store.historyMarks.set({ guildId: guildId(i), serverId: server.id, fresh: false, startedAt: new Date(), channelId: null });
    }
    await h.restartApp(() => h.dev.removeBot(guildId(1)));

    expect(h.app.history.running(gone.id)).toBeUndefined();
    expect(h.logs.lines.filter((l) => l.serverId === gone.id)).toEqual([]);
    await eventually(async () => !(await marked(kept.id)), 'the kept guild\'s run finished');
    expect(await rows(0, kept.id)).toBe(1);
    expect(await rows(1, gone.id)).toBe(0);
    expect(await marked(gone.id)).toBe(true);
    expect([...(await h.app.store.membership.left()).keys()]).toEqual([guildId(1)]);
    const lastLine = (msg: string): number => h.logs.lines.findLastIndex((l) => l.msg === msg);
    expect(lastLine('continuing history runs a restart cut short')).toBeGreaterThan(lastLine('logged in to Discord'));
  });

  it('GIVEN a history run waiting for its turn when the bot is removed from its guild THEN the run is cancelled: its server is not read and its mark goes', async () => {
    const server = await pausedServer(2, 'archive');
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    // Holds the server's lock, so the run waits in the pool as one queued behind other work would.
    h.app.pool.submitIo(() => gate, { label: 'hold', key: serverKey(server.id), exclusive: true });
    const { run } = h.app.history.start(h.app.store.guild(guildId(2)), server, { fresh: false });
    await eventually(() => marked(server.id), 'the run marked');

    h.dev.removeBot(guildId(2));
    await eventually(async () => (await h.app.store.membership.left()).has(guildId(2)), 'the removal recorded');
    open();
    await expect(run.result).rejects.toMatchObject({ kind: 'cancelled' });
    await eventually(async () => !(await marked(server.id)), 'the cancelled run\'s mark gone');
    expect(await rows(2, server.id)).toBe(0);
  });
});
