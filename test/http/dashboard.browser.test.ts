import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { freePort } from './helpers.js';

/** Debian's Chromium (.ci/run installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

/** The dashboard of the real app in real headless Chromium, with JavaScript off and on. */
describe('the dashboard', () => {
  let h: BotHarness;
  let base: string;
  let folder: GameFolder;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    h = await startBotHarness({ env: { HTTP_PORT: String(port) } });
    base = `http://127.0.0.1:${port}`;
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    const guild = h.app.store.guild(h.guild.id);
    const server = await guild.servers.add({ name: 'EU <b>1</b>', localPath: folder.root });
    await h.app.watcher.watch(guild, server);
    await h.app.scheduler.tickNow(server.id);
    // Root in CI containers: Chromium's sandbox needs a user namespace it may not get there.
    browser = await chromium.launch({ executablePath: CHROMIUM, chromiumSandbox: false });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    folder?.remove();
  });

  it('GIVEN JavaScript off THEN the first view, rendered by the server, shows health, totals, charts and the game server', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('#ready')).toBe('ready');
    expect(Number(await page.textContent('#completed'))).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#refresh')).toMatch(/Without JavaScript this page does not refresh/);
    expect(await page.locator('svg[role=img]').count()).toBe(3);
    // The server's name is shown as text, not as markup.
    expect(await page.locator('td', { hasText: 'EU <b>1</b>' }).count()).toBe(1);
    expect(await page.locator('td b', { hasText: '1' }).count()).toBe(0);
    await context.close();
  });

  it('GIVEN JavaScript on THEN the page refreshes itself: a running task appears, and the totals move when it ends', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.goto(`${base}/`);
    expect(await page.textContent('#refresh')).toBe('Refreshed every 2 s.');
    const before = Number(await page.textContent('#completed'));

    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const handle = h.app.pool.submitIo(() => held, { label: 'dashboard-test-task', priority: 'HIGH' });
    await page.locator('td', { hasText: 'dashboard-test-task' }).waitFor();
    expect(await page.locator('tr', { hasText: 'dashboard-test-task' }).textContent()).toContain('RUNNING');

    release();
    await handle.result;
    const row = page.locator('tr', { hasText: 'dashboard-test-task' });
    await row.filter({ hasText: 'COMPLETED' }).waitFor();
    expect(await row.filter({ hasText: 'RUNNING' }).count()).toBe(0);
    expect(Number(await page.textContent('#completed'))).toBeGreaterThan(before);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.close();
  });
});
