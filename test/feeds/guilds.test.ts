import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevGuild } from '../../src/dev-discord/types.js';
import type { GameServer } from '../../src/store/index.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { appendRows, clock, deathRow, eventually, postedEmbeds, victim, victimsInOrder } from './helpers.js';

/** Two Discord servers, each with its own game server and killfeed: posted side by side, never mixed. */
describe('killfeeds of several guilds', () => {
  let h: BotHarness;
  const sides: { guild: DevGuild; folder: GameFolder; server: GameServer; killfeed: string }[] = [];

  beforeAll(async () => {
    h = await startBotHarness({ commands: [], discord: { guilds: 2 } });
    for (const guild of h.dev.guilds) {
      const folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
      const scope = h.app.store.guild(guild.id);
      const server = await scope.servers.add({ name: 'EU 1', localPath: folder.root });
      const killfeed = guild.channels.find((c) => c.name === 'killfeed')?.id ?? '';
      await scope.settings.setChannel('killfeed', killfeed);
      await h.app.watcher.watch(scope, server);
      await h.app.scheduler.tickNow(server.id);
      sides.push({ guild, folder, server, killfeed });
    }
  });
  afterAll(async () => {
    await h.stop();
    for (const s of sides) s.folder.remove();
  });

  it('GIVEN kills on both guilds\' servers at once THEN each killfeed gets its own kills, all of them, in file order', async () => {
    const expected = sides.map((s, g) => {
      const names = Array.from({ length: 22 }, (_, i) => victim(g * 100 + i + 1));
      appendRows(s.folder.deathLog, names.map((v, i) => deathRow(clock(i), 'Hunter', v, 'AK-mod', 30)));
      return names;
    });
    await Promise.all(sides.map((s) => h.app.scheduler.tickNow(s.server.id)));
    await eventually(() => sides.every((s, g) => victimsInOrder(postedEmbeds(h.dev, s.killfeed)).length >= (expected[g]?.length ?? 0)), 'both killfeeds posted');
    expect(sides.map((s) => victimsInOrder(postedEmbeds(h.dev, s.killfeed)))).toEqual(expected);
  });
});
