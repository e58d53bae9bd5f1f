import { describe, expect, it } from 'vitest';
import { until } from '../pool/helpers.js';
import { fixtureCommands } from './fixtures/commands.js';
import { killRow, makeGameFolder } from './game-folder.js';
import { startBotHarness } from './harness.js';

/** Handles that keep a process alive, by kind (timers, sockets...). */
function liveHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

describe('stopping the bot', () => {
  it('GIVEN a running bot with a watched server THEN stop closes the gateway, the ticks and every handle the app opened', async () => {
    const before = liveHandles();
    const h = await startBotHarness({ commands: fixtureCommands });
    const folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    try {
      const guild = h.app.store.guild(h.guild.id);
      const server = await guild.servers.add({ name: 'home', localPath: folder.root });
      await h.app.watcher.watch(guild, server);
      await h.app.scheduler.tickNow(server.id);
      expect(h.dev.connected()).toBe(true);
      const report = await h.app.stop({ deadlineMs: 5_000 });
      expect(report.drained).toBe(true);
      expect(h.dev.connected()).toBe(false);
      expect(h.app.discord.isReady()).toBe(false);
      await expect(guild.servers.list()).rejects.toThrow();
    } finally {
      await h.stop();
      folder.remove();
    }
    // Sockets close a moment after their close() resolves: wait for the count, not the clock.
    await until(() => [...liveHandles()].every(([kind, n]) => n <= (before.get(kind) ?? 0)), `no handle left open (${JSON.stringify([...liveHandles()])} vs ${JSON.stringify([...before])})`);
  });
});
