import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameServer } from '../../src/store/index.js';
import { until } from '../pool/helpers.js';
import { fixtureCommands } from './fixtures/commands.js';
import { killRow, makeGameFolder, type GameFolder } from './game-folder.js';
import { startBotHarness, type BotHarness } from './harness.js';

describe('the gateway connection', () => {
  let h: BotHarness;
  let folder: GameFolder;
  const servers: GameServer[] = [];
  const echo = async (text: string): Promise<string> => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'echo', options: { text } });
    return (await run.waitForOriginal((m) => m.content !== '')).content;
  };
  const guildId = (i: number): string => h.dev.guilds[i]?.id ?? '';
  /** The guilds whose game server ticks, by index in the stand-in's guilds. */
  const ticking = (): number[] => servers.flatMap((s, i) => (h.app.scheduler.health().some((t) => t.serverId === s.id) ? [i] : []));
  const left = async (): Promise<string[]> => [...(await h.app.store.membership.left()).keys()].sort();
  /** Polls until the guilds marked left are `expected` (the mark is written after the ticks stop). */
  async function leftBecomes(expected: string[]): Promise<void> {
    const end = Date.now() + 10_000;
    while (JSON.stringify(await left()) !== JSON.stringify([...expected].sort())) {
      if (Date.now() > end) throw new Error(`Timed out waiting for the guilds marked left to be [${expected.join(', ')}]; they are [${(await left()).join(', ')}]`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    h = await startBotHarness({ commands: fixtureCommands, discord: { guilds: 3 } });
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    for (const g of h.dev.guilds) {
      const guild = h.app.store.guild(g.id);
      const server = await guild.servers.add({ name: `home ${servers.length}`, localPath: folder.root });
      servers.push(server);
      await h.app.watcher.watch(guild, server);
    }
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN the connection dropped (resumable) THEN the client resumes its session and commands are still answered', async () => {
    h.dev.dropConnection(4000);
    await h.dev.waitForSession('resumed');
    expect(await echo('after resume')).toBe('echo: after resume');
  });

  it('GIVEN the session invalidated and, before the new IDENTIFY, the bot removed from one guild and added back to another THEN the removed guild stops ticking, the re-added one ticks again, commands are still answered', async () => {
    h.dev.removeBot(guildId(2));
    await until(() => !ticking().includes(2), 'the third guild unwatched');
    await leftBecomes([guildId(2)]);

    h.dev.invalidateSession(false);
    // While the bot has no session: nothing of these reaches it but the next READY's list of guilds.
    h.dev.removeBot(guildId(1));
    h.dev.addBot(guildId(2));
    await h.dev.waitForSession('ready', 2);
    await until(() => ticking().join() === '0,2', 'the second guild unwatched and the third watched again');
    await leftBecomes([guildId(1)]);
    expect(await echo('after identify')).toBe('echo: after identify');

    // Added back within the new session: a guild discord.js still had cached from before would never come as guildCreate.
    h.dev.addBot(guildId(1));
    await until(() => ticking().join() === '0,1,2', 'the second guild watched again');
    await leftBecomes([]);
  });

  it('GIVEN a guild marked left that comes available (its GUILD_CREATE after an outage) THEN it is taken as added back: watched and no longer marked', async () => {
    h.dev.guildOutage(guildId(1));
    await until(() => h.logs.lines.some((l) => l.guildId === guildId(1) && String(l.msg).includes('unavailable')), 'the outage seen');
    // As after a READY whose settling failed (the store was down): the store says left, the bot is in the guild.
    await h.app.store.membership.markLeft(guildId(1), new Date());
    h.app.watcher.unwatchGuild(guildId(1));
    h.dev.addBot(guildId(1));
    await until(() => ticking().join() === '0,1,2', 'the second guild watched again');
    await leftBecomes([]);
  });
});
