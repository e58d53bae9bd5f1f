import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMessage } from '../../src/dev-discord/types.js';
import { playerCountPurpose } from '../../src/feeds/kinds.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';

const answered = (m: DevMessage) => m.content !== '';

describe('/feeds', () => {
  let h: BotHarness;
  let folder: GameFolder;
  let guild: GuildStore;
  let server: GameServer;
  const channel = (name: string): string => {
    const found = h.guild.channels.find((c) => c.name === name);
    if (!found) throw new Error(`The stand-in has no #${name}`);
    return found.id;
  };
  const feeds = async (subcommand: string, options: Record<string, string> = {}): Promise<string> => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'feeds', subcommand, options });
    return (await run.waitForOriginal(answered)).content;
  };

  beforeAll(async () => {
    h = await startBotHarness();
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    guild = h.app.store.guild(h.guild.id);
    server = await guild.servers.add({ name: 'EU 1', localPath: folder.root });
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN a text channel the bot may post in THEN /feeds set stores it and says where the feed goes', async () => {
    expect(await feeds('set', { kind: 'killfeed', channel: channel('killfeed') })).toBe(`The killfeed feed now goes to <#${channel('killfeed')}>.`);
    expect((await guild.settings.get()).channels.killfeed).toBe(channel('killfeed'));
  });

  it('GIVEN a channel where the bot may not send THEN /feeds set names the missing permission and changes nothing', async () => {
    const answer = await feeds('set', { kind: 'events', channel: channel('locked') });
    expect(answer).toContain('The bot lacks Send Messages');
    expect(answer).toContain('then run this again');
    expect((await guild.settings.get()).channels.events).toBeUndefined();
  });

  it('GIVEN the wrong kind of channel THEN /feeds set says which kind the feed needs', async () => {
    expect(await feeds('set', { kind: 'connections', channel: channel('players') })).toContain('pick a text channel');
    expect(await feeds('set', { kind: 'player-count', channel: channel('killfeed'), server: server.id })).toContain('pick a voice channel');
    expect(await feeds('set', { kind: 'player-count', channel: channel('players') })).toContain('pick one in the `server` option');
  });

  it('GIVEN player-count with a server and a voice channel THEN it is stored for that server, and clear turns it off', async () => {
    expect(await feeds('set', { kind: 'player-count', channel: channel('players'), server: server.id })).toContain('player-count of **EU 1**');
    expect((await guild.settings.get()).channels[playerCountPurpose(server.id)]).toBe(channel('players'));
    // Another server's count cannot share the channel: their names would overwrite each other.
    const second = await guild.servers.add({ name: 'EU 2', localPath: folder.root });
    try {
      expect(await feeds('set', { kind: 'player-count', channel: channel('players'), server: second.id }))
        .toBe(`<#${channel('players')}> already shows the player count of **EU 1**. Pick another voice channel, or clear that one first with \`/feeds clear kind:player-count server:EU 1\`.`);
      expect((await guild.settings.get()).channels[playerCountPurpose(second.id)]).toBeUndefined();
      // Setting the same server's count to its own channel again is fine.
      expect(await feeds('set', { kind: 'player-count', channel: channel('players'), server: server.id })).toContain('player-count of **EU 1**');
    } finally {
      await guild.servers.remove(second.id);
    }
    expect(await feeds('clear', { kind: 'player-count', server: server.id })).toContain('is off');
    expect((await guild.settings.get()).channels[playerCountPurpose(server.id)]).toBeUndefined();
  });

  it('GIVEN a stopped feed THEN /feeds list shows each feed with its channel and why it stopped, and /feeds set again clears the problem', async () => {
    await guild.settings.reportProblem('killfeed', { code: 50013, message: 'The killfeed feed stopped: no permission.', at: new Date(), channelId: channel('killfeed') });
    const list = await feeds('list');
    expect(list).toContain(`**killfeed** (kills, environment deaths and suicides as they happen): <#${channel('killfeed')}>\n  ⚠ Stopped: The killfeed feed stopped: no permission.`);
    expect(list).toContain('**connections** (players joining, leaving and queueing): off');
    expect(list).toContain('**player-count of EU 1**');
    await feeds('set', { kind: 'killfeed', channel: channel('killfeed') });
    expect((await guild.settings.get()).problems.killfeed).toBeUndefined();
    expect(await feeds('list')).not.toContain('Stopped');
  });

  it('GIVEN a plain member THEN /feeds is refused', async () => {
    const ack = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'feeds', subcommand: 'list' }).acknowledged;
    expect(ack).toMatchObject({ type: 4, data: { content: 'You need the Manage Server permission to use /feeds.' } });
  });
});
