import { Routes } from 'discord.js';
import { MongoClient } from 'mongodb';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDoc } from '../../src/store/outbox.js';
import { renderItem } from '../../src/feeds/message-batch.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { makeGameFolder, killRow, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { appendRows, clock, deathRow, eventually, postedEmbeds, victim, victimsInOrder } from './helpers.js';

/** The killfeed through the real client and the Discord stand-in, from a local-folder game server. */
describe('the killfeed', () => {
  let h: BotHarness;
  let folder: GameFolder;
  let guild: GuildStore;
  let server: GameServer;
  let killfeed: string;
  let locked: string;
  let general: string;
  let second = 0;
  let mongo: MongoClient;
  /** The outbox as stored: waiting items, and posted ones kept until their server's next batch. */
  const outbox = () => mongo.db(h.db.dbName).collection<OutboxDoc>('outbox');

  const channel = (name: string): string => {
    const found = h.guild.channels.find((c) => c.name === name);
    if (!found) throw new Error(`The stand-in has no #${name}`);
    return found.id;
  };
  /** Appends kills of fresh victims (Hunter kills V0001, V0002...) and runs a tick. */
  const kills = async (count: number, first: number): Promise<string[]> => {
    const names = Array.from({ length: count }, (_, i) => victim(first + i));
    appendRows(folder.deathLog, names.map((v) => deathRow(clock(second++), 'Hunter', v, 'AK-mod', 120)));
    await h.app.scheduler.tickNow(server.id);
    return names;
  };

  beforeAll(async () => {
    h = await startBotHarness();
    mongo = await MongoClient.connect(h.db.uri);
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    guild = h.app.store.guild(h.guild.id);
    server = await guild.servers.add({ name: 'EU 1', localPath: folder.root });
    killfeed = channel('killfeed');
    locked = channel('locked');
    general = channel('general');
    await guild.settings.setChannel('killfeed', killfeed);
    await guild.settings.setChannel('log', general);
    await h.app.watcher.watch(guild, server);
    // The first tick reads the file's old rows as history: nothing is posted for them.
    await h.app.scheduler.tickNow(server.id);
  });
  afterAll(async () => {
    await mongo.close();
    await h.stop();
    folder.remove();
  });

  it('GIVEN a kill, a fall and an environment death appended to the live CSV THEN each is posted once to the killfeed, in one message, in file order', async () => {
    appendRows(folder.deathLog, [
      deathRow(clock(second++), 'Hunter', 'Victim One', 'AK-mod', 312),
      deathRow(clock(second++), 'Faller', 'Faller', 'falling', 0),
      deathRow(clock(second++), '', 'Unlucky', 'Zombie', 0),
    ]);
    await h.app.scheduler.tickNow(server.id);
    await eventually(() => postedEmbeds(h.dev, killfeed).length >= 3, 'three deaths posted');
    const messages = h.dev.messages(killfeed);
    expect(messages).toHaveLength(1);
    const [kill, fall, environment] = messages[0]?.embeds.map((e) => JSON.stringify(e)) ?? [];
    expect(kill).toContain('Hunter');
    expect(kill).toContain('Victim One');
    expect(fall).toContain('Faller');
    expect(environment).toContain('Unlucky');
    expect(postedEmbeds(h.dev, killfeed).some((e) => e.includes('Alice'))).toBe(false);
    // Each posted death is timed from its moment in the game to Discord taking it: the killfeed delay metric.
    let delay = '';
    await eventually(async () => {
      delay = await h.app.metrics.registry.getSingleMetricAsString('killfeed_feed_delivery_delay_seconds');
      return delay.includes('killfeed_feed_delivery_delay_seconds_count{feed="killfeed"} 3');
    }, 'three deliveries timed');
    expect(delay).toMatch(/killfeed_feed_delivery_delay_seconds_count\{feed="killfeed"\} 3\n/);
  });

  it('GIVEN 25 kills in one read THEN they go out as messages of at most 10 embeds, every kill once, in file order', async () => {
    const before = h.dev.messages(killfeed).length;
    const names = await kills(25, 1);
    await eventually(() => victimsInOrder(postedEmbeds(h.dev, killfeed)).length >= 25, '25 kills posted');
    const posted = h.dev.messages(killfeed).slice(before);
    expect(posted.map((m) => m.embeds.length)).toEqual([10, 10, 5]);
    expect(victimsInOrder(posted.flatMap((m) => m.embeds.map((e) => JSON.stringify(e))))).toEqual(names);
    // The killer's streak after each kill, counted on from the earlier tick's kill.
    const items = await outbox().find({ guildId: h.guild.id, 'item.type': 'death' }).sort({ at: 1, seq: 1, i: 1 }).toArray();
    expect(items.map((d) => (d.item.type === 'death' ? d.item.killerStreak : null))).toEqual(names.map((_, i) => i + 2));
    // Confirmed once Discord's answer is back, a moment after the stand-in shows the message.
    await eventually(async () => (await outbox().countDocuments({ guildId: h.guild.id, 'item.type': 'death', outcome: { $ne: 'posted' } })) === 0, 'every item confirmed as posted');
  });

  it('GIVEN the killfeed set to a channel the bot may not post in THEN the feed stops, the log channel is told once, and setting the channel again resumes it', async () => {
    await guild.settings.setChannel('killfeed', locked);
    const logBefore = h.dev.messages(general).length;
    await kills(1, 100);
    await eventually(async () => (await guild.settings.get()).problems.killfeed !== undefined, 'the problem recorded');
    const problem = (await guild.settings.get()).problems.killfeed;
    expect(problem?.code).toBe(50013);
    expect(problem?.channelId).toBe(locked);
    await eventually(() => h.dev.messages(general).length > logBefore, 'the log channel told');
    expect(h.dev.messages(general).at(-1)?.content).toContain('/feeds set killfeed');
    // Admins see it in /server status and /feeds list.
    const status = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'status', options: { server: server.id } })
      .waitForOriginal((m) => m.embeds.length > 0);
    expect(JSON.stringify(status.embeds[0])).toContain('Stopped feeds');
    expect(JSON.stringify(status.embeds[0])).toContain('lacks a permission');
    const list = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'feeds', subcommand: 'list' }).waitForOriginal((m) => m.content !== '');
    expect(list.content).toContain(`<#${locked}>\n  ⚠ Stopped: The killfeed feed stopped`);
    // A stopped feed drops its items instead of trying for ever, and tells nobody again.
    await kills(2, 101);
    await eventually(async () => (await outbox().countDocuments({ guildId: h.guild.id, postedAt: { $exists: false } })) === 0, 'the stopped feed\'s items dropped');
    expect(await outbox().countDocuments({ guildId: h.guild.id, outcome: 'dropped' })).toBe(2);
    const killfeedBefore = postedEmbeds(h.dev, killfeed).length;
    await guild.settings.setChannel('killfeed', killfeed);
    const resumed = await kills(1, 200);
    await eventually(() => victimsInOrder(postedEmbeds(h.dev, killfeed)).includes(resumed[0] ?? ''), 'the feed resumed');
    expect(postedEmbeds(h.dev, killfeed).slice(killfeedBefore).flatMap((e) => victimsInOrder([e]))).toEqual(resumed);
    expect(h.dev.messages(general).length).toBe(logBefore + 1);
    expect(h.dev.messages(locked)).toHaveLength(0);
  });

  it('GIVEN a message claimed and posted but not confirmed (a crash) THEN it is posted again with its nonce and Discord answers with the first message: it shows once', async () => {
    const nonce = 'crash-before-confirm-01';
    const doc: OutboxDoc = {
      _id: `${server.id}:0:1:0`, guildId: h.guild.id, serverId: server.id, seq: 0, i: 0, at: 1, purpose: 'killfeed', serverName: 'EU 1',
      item: { type: 'death', killerStreak: 1, event: { kind: 'kill', time: Date.UTC(2025, 4, 15, 13), killerName: 'Hunter', killerId: `0002${'a'.repeat(28)}`, victimName: victim(300), victimId: `0002${'b'.repeat(28)}`, weapon: 'AK-mod', distance: 5, line: 1 } },
      nonce, claimedAt: Date.now(),
    };
    await outbox().insertOne(doc);
    // What reached Discord before the crash: the post went through, its confirmation was never written.
    // (through the client's REST queue, which waits out the channel's rate limit like the poster's posts).
    await h.app.discord.rest.post(Routes.channelMessages(killfeed), { body: { embeds: [renderItem(doc)], nonce, enforce_nonce: true } });
    const before = h.dev.messages(killfeed).length;
    h.app.poster.wake(h.guild.id, ['killfeed']);
    await eventually(async () => (await outbox().findOne({ _id: doc._id }))?.outcome === 'posted', 'the claimed message confirmed');
    expect(h.dev.messages(killfeed).length).toBe(before);
    expect(victimsInOrder(postedEmbeds(h.dev, killfeed)).filter((v) => v === victim(300))).toHaveLength(1);
    const posts = h.dev.requests().filter((r) => r.method === 'POST' && (r.body as { nonce?: string } | null)?.nonce === nonce);
    expect(posts).toHaveLength(2);
  });

  it('GIVEN many messages posted one after another THEN the bot holds nothing per message posted (no listener left on a long-lived signal)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 12; i += 1) {
        const before = h.dev.messages(killfeed).length;
        await kills(1, 500 + i);
        await eventually(() => h.dev.messages(killfeed).length > before, `message ${i + 1} posted`);
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('GIVEN a channel far behind (120 kills waiting) THEN the older ones are folded into one summary line and the newest 20 are posted as they are', async () => {
    const before = postedEmbeds(h.dev, killfeed).length;
    const names = await kills(120, 1000);
    await eventually(() => victimsInOrder(postedEmbeds(h.dev, killfeed).slice(before)).includes(names.at(-1) ?? ''), 'the newest kill posted');
    const posted = postedEmbeds(h.dev, killfeed).slice(before);
    expect(posted).toHaveLength(21);
    expect(posted[0]).toContain('+100');
    expect(victimsInOrder(posted.slice(1))).toEqual(names.slice(-20));
  });

  it('GIVEN a player joining in Deadside.log THEN the connections feed posts it, and the killfeed does not', async () => {
    await guild.settings.setChannel('connections', general);
    const before = { general: h.dev.messages(general).length, killfeed: h.dev.messages(killfeed).length };
    const eos = `0002${'c'.repeat(28)}`;
    appendRows(join(folder.root, 'Deadside', 'Saved', 'Logs', 'Deadside.log'), [
      `[2025.05.15-12.30.00:514][412]LogNet: Join request: /Game/Maps/world_0/World_0?eosid=|${eos}?Name=Joiner Zed?SplitscreenCount=1`,
      `[2025.05.15-12.30.04:733][533]LogOnline: Warning: Player |${eos} successfully registered!`,
    ]);
    await h.app.scheduler.tickNow(server.id);
    await eventually(() => h.dev.messages(general).length > before.general, 'the join posted');
    expect(JSON.stringify(h.dev.messages(general).at(-1)?.embeds)).toContain('Joiner Zed');
    expect(h.dev.messages(killfeed).length).toBe(before.killfeed);
  });

  it('GIVEN kills durable but not yet posted when the bot stops THEN they are posted before it logs out of Discord', async () => {
    const before = postedEmbeds(h.dev, killfeed).length;
    const names = await kills(15, 3000);
    await h.app.stop();
    expect(victimsInOrder(postedEmbeds(h.dev, killfeed).slice(before))).toEqual(names);
    expect(await outbox().countDocuments({ guildId: h.guild.id, postedAt: { $exists: false } })).toBe(0);
  });
});
