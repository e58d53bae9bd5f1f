import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { buildApp, type App } from '../../src/app/build-app.js';
import type { FeedItem } from '../../src/ingest/feed.js';
import { until } from '../pool/helpers.js';
import { snowflake, startTestDatabase, testLogger, type TestDatabase } from '../store/helpers.js';

describe('the composition root', () => {
  let db: TestDatabase;
  let app: App;
  let root: string;
  const published: FeedItem[] = [];
  const logs = testLogger('info');
  const csv = () => join(root, 'Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0', '2025.05.15-00.00.00.csv');

  beforeAll(async () => {
    db = await startTestDatabase('app');
    root = mkdtempSync(join(tmpdir(), 'killfeed-app-'));
    mkdirSync(join(root, 'Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0'), { recursive: true });
    mkdirSync(join(root, 'Deadside', 'Saved', 'Logs'), { recursive: true });
    writeFileSync(csv(), '2025.05.15-10.00.00;Alice;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;Bob;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;AK-mod;10;PS5;PS5;\n');
    writeFileSync(join(root, 'Deadside', 'Saved', 'Logs', 'Deadside.log'), 'Log file open, 05/15/25 09:00:00\n');
    const config = loadConfig({
      DISCORD_TOKEN: 'test-token-not-real', DISCORD_APPLICATION_ID: '123456789012345678', MONGODB_URI: db.uri,
      MONGODB_DATABASE: db.dbName, SECRETS_KEY: randomBytes(32).toString('hex'), POOL_MAX_THREADS: '2',
    }, 'bot');
    app = await buildApp(config, logs.logger);
    const guild = app.store.guild(snowflake(7));
    await guild.servers.add({ name: 'home', localPath: root, pollSeconds: 10 });
    await guild.servers.add({ name: 'paused', localPath: root, enabled: false });
    app.feed.subscribe((item) => published.push(item));
  });
  afterAll(async () => {
    await app.stop({ deadlineMs: 2_000 }).catch(() => undefined);
    await db.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('GIVEN stored game servers THEN start watches the enabled ones, and new kills reach the feed', async () => {
    expect(await app.start()).toBe(1);
    await until(() => (app.scheduler.health()[0]?.ticks ?? 0) >= 1, 'first tick', 20_000);
    appendFileSync(csv(), '2025.05.15-10.01.00;Bob;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;Alice;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;M99;300;PS5;PS5;\n');
    await app.scheduler.tickNow(app.scheduler.health()[0]?.serverId ?? '');
    expect(published.filter((i) => i.kind === 'kill').map((i) => (i.kind === 'kill' ? i.event.weapon : ''))).toEqual(['M99']);
    expect(app.pool.stats().totals.completed).toBeGreaterThanOrEqual(2);
    expect(app.pool.historyOf({ label: 'tick', state: 'COMPLETED' }).length).toBeGreaterThanOrEqual(2);
  });

  it('GIVEN stop THEN running work drains and the parts close in reverse order', async () => {
    const report = await app.stop({ deadlineMs: 5_000 });
    expect(report.drained).toBe(true);
    await expect(app.store.guild(snowflake(7)).servers.list()).rejects.toThrow();
  });
});
