import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/ingest/feed.js';
import { until } from '../pool/helpers.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';

describe('the composition root', () => {
  let h: BotHarness;
  let folder: GameFolder;
  const published: FeedItem[] = [];

  beforeAll(async () => {
    h = await startBotHarness({ commands: [] });
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    const guild = h.app.store.guild(h.guild.id);
    await guild.servers.add({ name: 'home', localPath: folder.root, pollSeconds: 10 });
    await guild.servers.add({ name: 'paused', localPath: folder.root, enabled: false });
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN stored game servers THEN start watches the enabled ones, logs in, and new kills reach the feed', async () => {
    const app = await h.restartApp();
    app.feed.subscribe((item) => published.push(item));
    expect(app.scheduler.health().map((s) => s.name)).toEqual(['home']);
    expect(app.discord.isReady()).toBe(true);
    await until(() => (app.scheduler.health()[0]?.ticks ?? 0) >= 1, 'first tick', 20_000);
    appendFileSync(folder.deathLog, `${killRow('10.01.00', 'Bob', 'Alice', 'M99')}\n`);
    await app.scheduler.tickNow(app.scheduler.health()[0]?.serverId ?? '');
    expect(published.filter((i) => i.kind === 'kill').map((i) => (i.kind === 'kill' ? i.event.weapon : ''))).toEqual(['M99']);
    expect(app.pool.historyOf({ label: 'tick', state: 'COMPLETED' }).length).toBeGreaterThanOrEqual(2);
  });

  it('GIVEN stop THEN running work drains and the parts close in reverse order', async () => {
    const report = await h.app.stop({ deadlineMs: 5_000 });
    expect(report.drained).toBe(true);
    expect(h.dev.connected()).toBe(false);
    await expect(h.app.store.guild(h.guild.id).servers.list()).rejects.toThrow();
  });
});
