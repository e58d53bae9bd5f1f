import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playerCountPurpose } from '../../src/feeds/kinds.js';
import { makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { until } from '../pool/helpers.js';

/** The bot as it runs: a game server's log read by a tick, its player count shown on the voice channel. */
describe('the player count in the running bot', () => {
  let h: BotHarness;
  let folder: GameFolder;
  beforeAll(async () => {
    h = await startBotHarness({ commands: [] });
    folder = makeGameFolder([]);
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN players joining and leaving in Deadside.log THEN the voice channel set for that server reads its count', async () => {
    const guild = h.app.store.guild(h.guild.id);
    const voice = h.guild.channels.find((c) => c.kind === 'voice')?.id ?? '';
    const server = await guild.servers.add({ name: 'EU 1', localPath: folder.root });
    await guild.settings.setChannel(playerCountPurpose(server.id), voice);
    await h.app.watcher.watch(guild, server);
    // The first read takes the log as it stands (old lines are not news); what follows is.
    await h.app.scheduler.tickNow(server.id);
    const lines = fixtureBytes('serverlog/Deadside.synthetic.log').toString('utf8').split('\n').slice(1).join('\n');
    appendFileSync(join(folder.root, 'Deadside', 'Saved', 'Logs', 'Deadside.log'), lines);
    await h.app.scheduler.tickNow(server.id);
    // ExHyper stays online, Njshh left, Rogue731 left the queue; 50 slots from the command line.
    await until(() => h.dev.channelName(voice) === 'EU 1 | 1/50', 'the voice channel renamed');
    expect(h.dev.requests().filter((r) => r.method === 'PATCH' && r.path === `/channels/${voice}`)).toHaveLength(1);
  });
});
