import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/ingest/feed.js';
import { playerCountPurpose } from '../../src/feeds/kinds.js';
import { createPlayerCountRenamer, RENAME_GAP_MS, type PlayerCountRenamer, type RenameTimers } from '../../src/feeds/player-count.js';
import { discordChannelRenames } from '../../src/feeds/player-count-discord.js';
import { playerCountName } from '../../src/feeds/player-count-name.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';

/** The renamer's clock, moved by the test together with the stand-in's. */
class ManualTimers implements RenameTimers {
  now = Date.parse('2026-01-01T20:00:00Z');
  #pending: { at: number; fire: () => void; cancelled: boolean }[] = [];

  set(fire: () => void, delayMs: number): { cancel(): void } {
    const wait = { at: this.now + delayMs, fire, cancelled: false };
    this.#pending.push(wait);
    return { cancel: () => { wait.cancelled = true; } };
  }

  /** Moves both clocks on and fires the renamer's waits that are due. */
  advance(ms: number, h: BotHarness): void {
    this.now += ms;
    h.dev.advanceClock(ms);
    const due = this.#pending.filter((w) => !w.cancelled && w.at <= this.now);
    this.#pending = this.#pending.filter((w) => !due.includes(w));
    for (const wait of due) wait.fire();
  }
}

describe('pure: the player count channel name', () => {
  it('GIVEN counts THEN the name reads Server | online/max | Q queued, without the queue at 0 and with ? for an unknown max', () => {
    expect(playerCountName('EU 1', { online: 12, queued: 3, maxPlayers: 50 })).toBe('EU 1 | 12/50 | Q 3');
    expect(playerCountName('EU 1', { online: 12, queued: 0, maxPlayers: 50 })).toBe('EU 1 | 12/50');
    expect(playerCountName('  EU   1 ', { online: 0, queued: 0, maxPlayers: null })).toBe('EU 1 | 0/?');
  });

  it('GIVEN a very long server name THEN it is cut, never the figures, within Discord\'s 100 characters', () => {
    const name = playerCountName('🔥'.repeat(80), { online: 100, queued: 25, maxPlayers: 100 });
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^(🔥)+… \| 100\/100 \| Q 25$/u);
  });
});

describe('the player count voice channel, through the Discord stand-in', () => {
  let h: BotHarness;
  let guildId: string;
  let voice: string;
  let clock: ManualTimers;
  let serverId: string;
  const renamers: PlayerCountRenamer[] = [];

  beforeAll(async () => {
    h = await startBotHarness({ logLevel: 'info' });
    guildId = h.guild.id;
    voice = h.guild.channels.find((c) => c.kind === 'voice')?.id ?? '';
    const server = await h.app.store.guild(guildId).servers.add({ name: 'EU 1', localPath: '/srv/eu1', enabled: false });
    serverId = server.id;
    await h.app.store.guild(guildId).settings.setChannel(playerCountPurpose(serverId), voice);
    clock = new ManualTimers();
  }, 60_000);
  afterAll(async () => {
    for (const r of renamers) r.stop();
    await h.stop();
  });

  function renamer(): PlayerCountRenamer {
    const store = h.app.store;
    const made = createPlayerCountRenamer({
      discord: discordChannelRenames(h.app.discord),
      settings: (g) => store.guild(g).settings,
      serverName: async (g, s) => (await store.guild(g).servers.get(s))?.name ?? null,
      logger: h.logger, now: () => clock.now, timers: clock,
    });
    renamers.push(made);
    made.start();
    return made;
  }
  const count = (online: number, queued: number, maxPlayers: number | null, server = serverId): FeedItem =>
    ({ kind: 'player-count', guildId, serverId: server, online, queued, maxPlayers });
  const renames = (channelId: string) => h.dev.requests().filter((r) => r.method === 'PATCH' && r.path === `/channels/${channelId}`);
  const names = (channelId: string) => renames(channelId).map((r) => [r.status, (r.body as { name: string }).name]);

  it('GIVEN counts THEN the channel is renamed once to the figures, never to an unchanged name, and at most once per 5 minutes with the latest figures', async () => {
    const first = renamer();
    first.take(count(12, 3, 50));
    await first.settled();
    expect(h.dev.channelName(voice)).toBe('EU 1 | 12/50 | Q 3');

    first.take(count(12, 3, 50));
    await first.settled();
    // Counts change within the 5 minutes: nothing is sent now, and only the latest is sent later.
    for (const [online, queued, max] of [[13, 0, 50], [14, 1, 50], [15, 0, null]] as const) first.take(count(online, queued, max));
    await first.settled();
    expect(names(voice)).toEqual([[200, 'EU 1 | 12/50 | Q 3']]);

    clock.advance(RENAME_GAP_MS, h);
    await first.settled();
    expect(h.dev.channelName(voice)).toBe('EU 1 | 15/?');
    expect(names(voice)).toEqual([[200, 'EU 1 | 12/50 | Q 3'], [200, 'EU 1 | 15/?']]);
    first.stop();
  });

  it('GIVEN a restart THEN the channel is not renamed to the name it already has', async () => {
    const restarted = renamer();
    restarted.take(count(15, 0, null));
    await restarted.settled();
    expect(renames(voice)).toHaveLength(2);
    restarted.stop();
  });

  it('GIVEN Discord refuses a third rename within 10 minutes THEN the refusal comes back at once, and the latest figures go out when the window opens', async () => {
    // A renamer that does not know of the two renames above (a restart): Discord's window refuses it.
    const restarted = renamer();
    restarted.take(count(16, 0, 50));
    await restarted.settled();
    expect(names(voice).at(-1)).toEqual([429, 'EU 1 | 16/50']);
    expect(h.dev.channelName(voice)).toBe('EU 1 | 15/?');

    restarted.take(count(17, 2, 50));
    await restarted.settled();
    expect(renames(voice)).toHaveLength(3);
    // The window of the first rename closes 10 minutes after it: 5 minutes and Discord's rounding from now.
    clock.advance(RENAME_GAP_MS + 1_000, h);
    await restarted.settled();
    expect(h.dev.channelName(voice)).toBe('EU 1 | 17/50 | Q 2');
    expect(names(voice).slice(2)).toEqual([[429, 'EU 1 | 16/50'], [200, 'EU 1 | 17/50 | Q 2']]);
    restarted.stop();
  });

  it('GIVEN a channel set after the count last changed THEN it shows the figures within 5 minutes, without a player moving', async () => {
    const later = await h.app.store.guild(guildId).servers.add({ name: 'AS 3', localPath: '/srv/as3', enabled: false });
    const channel = h.guild.channels.find((c) => c.name === 'killfeed')?.id ?? '';
    const r = renamer();
    r.take(count(7, 0, 40, later.id));
    await r.settled();
    expect(renames(channel)).toHaveLength(0);
    await h.app.store.guild(guildId).settings.setChannel(playerCountPurpose(later.id), channel);
    clock.advance(RENAME_GAP_MS, h);
    await r.settled();
    expect(h.dev.channelName(channel)).toBe('AS 3 | 7/40');
    // Looked at again 5 minutes later, the same name sends nothing.
    clock.advance(RENAME_GAP_MS, h);
    await r.settled();
    expect(renames(channel)).toHaveLength(1);
    r.stop();
  });

  it('GIVEN a channel that no longer exists THEN that count stops, the admins are told once in the log channel, and nothing more is tried', async () => {
    const settings = h.app.store.guild(guildId).settings;
    const other = await h.app.store.guild(guildId).servers.add({ name: 'US 2', localPath: '/srv/us2', enabled: false });
    const gone = '123456789012345678';
    const general = h.guild.channels.find((c) => c.name === 'general')?.id ?? '';
    await settings.setChannel(playerCountPurpose(other.id), gone);
    await settings.setChannel('log', general);
    const r = renamer();
    r.take(count(3, 0, 20, other.id));
    await r.settled();
    const problem = (await settings.get()).problems[playerCountPurpose(other.id)];
    expect(problem).toMatchObject({ code: 10003, channelId: gone });
    expect(problem?.message).toBe(`The player count of US 2 stopped: Discord refused to rename <#${gone}> because that channel no longer exists. Fix that, then run /feeds set player-count again to resume it.`);
    expect(h.dev.messages(general).map((m) => m.content)).toEqual([problem?.message]);

    const tried = h.dev.requests().filter((q) => q.path === `/channels/${gone}`).length;
    r.take(count(4, 0, 20, other.id));
    clock.advance(RENAME_GAP_MS, h);
    await r.settled();
    expect(h.dev.requests().filter((q) => q.path === `/channels/${gone}`)).toHaveLength(tried);
    expect(h.dev.messages(general)).toHaveLength(1);
    r.stop();
  });
});
