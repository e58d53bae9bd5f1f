/**
 * `npm run bench -- fleet`: N game servers on one bot process, each a local folder written by the
 * project's live-server generator at a real server's pace, each in a Discord server (guild) of its
 * own with a killfeed channel; dev-mongo and the Discord stand-in in other processes. For a minute:
 * how long a death takes from its row being written to its message reaching Discord (p50/p95/p99),
 * the main thread's lateness, resident memory, deaths lost or posted twice; then a burst (a death on
 * every server at once): the message requests per second against Discord's global 50, and any
 * global 429. Sizes: FLEET_SIZES (default "200,1000"), window FLEET_SECONDS (default 60).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { buildApp, type App } from '../src/app/build-app.js';
import { LiveFolder } from '../src/generator/live-folder.js';
import { LiveServer } from '../src/generator/live-server.js';
import { createLogger } from '../src/logging/logger.js';
import { startDevDiscordProcess, type ChannelPost, type RemoteDiscord } from './dev-discord-process.js';
import { startDevMongoProcess, type DevMongoProcess } from './dev-mongo-process.js';
import { LatenessProbe } from './lateness-probe.js';
import { note, percentile, report, round } from './lib.js';

const SIZES = (process.env.FLEET_SIZES ?? '200,1000').split(',').map(Number);
const WINDOW_S = Number(process.env.FLEET_SECONDS ?? 60);
/** How the bench writes: every folder is brought up to the clock this often. */
const WRITE_EVERY_MS = 250;
/** History before the window: the bot finds servers that have been running, reads it silently, then posts what is new. */
const WARM_MS = 30 * 60_000;
const GLOBAL_PER_S = 50;

interface Written { channelId: string; writtenAt: number; eventTime: number; victim: string }

const figures: Record<string, number | boolean> = {};
for (const n of SIZES) Object.assign(figures, Object.fromEntries(Object.entries(await runFleet(n)).map(([k, v]) => [`n${n}_${k}`, v])));
const small = SIZES[0] ?? 0;
const large = SIZES.at(-1) ?? 0;
report('fleet', {
  ...figures,
  target_met: figures[`n${large}_delay_p95_ms`] as number <= 3_000 && figures[`n${large}_lateness_p99_ms`] as number <= 20
    && figures[`n${large}_rss_max_mib`] as number <= 1024 && figures[`n${large}_lost`] === 0 && figures[`n${large}_duplicated`] === 0
    && figures[`n${large}_burst_share_of_global`] as number >= 0.9 && figures[`n${large}_global_429`] === 0,
  floor_met: (figures[`n${small}_delay_p95_ms`] as number) <= (figures[`n${small}_poll_interval_ms`] as number) + 2_000
    && figures[`n${small}_lost`] === 0 && figures[`n${small}_duplicated`] === 0,
});

async function runFleet(n: number): Promise<Record<string, number>> {
  note(`fleet of ${n}: starting dev-mongo and the Discord stand-in with ${n} guilds`);
  const root = mkdtempSync(join(tmpdir(), `killfeed-bench-fleet-${n}-`));
  const db: DevMongoProcess = await startDevMongoProcess();
  const dev = await startDevDiscordProcess({ guilds: n });
  const logger = createLogger({ level: 'error', pretty: false });
  const config = loadConfig({
    DISCORD_TOKEN: dev.token, DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl,
    MONGODB_URI: db.uri, MONGODB_DATABASE: `bench_fleet_${n}_${Date.now()}`, SECRETS_KEY: randomBytes(32).toString('hex'),
    POOL_IO_CONCURRENCY: '64',
  }, 'bot');
  const app = await buildApp(config, logger);
  try {
    await app.start();
    note(`fleet of ${n}: the bot is logged in; simulating ${WARM_MS / 60_000} minutes of each server's past`);
    const now = Date.now();
    const folders = dev.guilds.map((g, i) => {
      const folder = new LiveFolder(join(root, `server-${i}`), new LiveServer({ seed: 1_000 + i, start: now - WARM_MS }));
      folder.advanceTo(now);
      return { folder, guildId: g.id, channelId: g.channels.find((c) => c.name === 'killfeed')?.id ?? '' };
    });
    // The servers play on while the bot starts (not measured), so the window opens on servers in their
    // stride rather than with the minutes of setup written at once.
    const playing = setInterval(() => { for (const f of folders) f.folder.advanceTo(Date.now()); }, WRITE_EVERY_MS);
    try {
      await addServers(app, folders, config.pollIntervalSeconds * 1000);
      note(`fleet of ${n}: ${n} game servers added and watched`);
      let told = Date.now();
      await waitFor(() => {
        const health = dev.guilds.flatMap((g) => app.watcher.health(g.id));
        if (Date.now() - told > 15_000) {
          told = Date.now();
          const states = new Map<string, number>();
          for (const h of health) states.set(`${h.state}${h.ticks >= 1 ? '' : ' (not read yet)'}`, (states.get(`${h.state}${h.ticks >= 1 ? '' : ' (not read yet)'}`) ?? 0) + 1);
          note(`fleet of ${n}: ${health.length} servers watched: ${[...states].map(([k, v]) => `${v} ${k}`).join(', ')}`);
        }
        return health.length === n && health.every((h) => h.ticks >= 1 && h.consecutiveFailures === 0);
      }, 'every server read once', 10 * 60_000);
      await sleep(10_000);
    } finally {
      clearInterval(playing);
    }
    note(`fleet of ${n}: every server read once; writing for ${WINDOW_S} s`);

    const since = Date.now();
    const written: Written[] = [];
    const probe = new LatenessProbe(5);
    probe.start();
    let rssMax = 0;
    const end = Date.now() + WINDOW_S * 1000;
    while (Date.now() < end) {
      const at = Date.now();
      for (const f of folders) {
        for (const row of f.folder.advanceTo(at)) written.push({ channelId: f.channelId, writtenAt: Date.now(), eventTime: row.time, victim: row.row.split(';')[3] ?? '' });
      }
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
      await sleep(WRITE_EVERY_MS - (Date.now() - at));
    }
    const lateness = probe.stop();
    const pool = app.pool.stats();
    note(`fleet of ${n}: ${written.length} deaths written; waiting for them to be posted`);
    note(`fleet of ${n}: pool over the window: ${pool.totals.completed} tasks done, wait p95 ${round(pool.waitMs.p95)} ms, run p95 ${round(pool.runMs.p95)} ms, queue now ${pool.queue.depth} (I/O ${pool.queue.ioDepth}), I/O running ${pool.running.io} of ${pool.capacity.ioConcurrency}, worker busy ${round(pool.utilization.workerBusyRatio, 2)}`);
    await waitUntilPosted(dev, since, written, 60_000);

    const burst = await measureBurst(dev, folders);
    const posts = await dev.posts(since);
    const matched = matchPosts(written, posts.filter((p) => p.at < burst.startedAt && p.status === 200));
    const figuresOfN = {
      servers: n, poll_interval_ms: config.pollIntervalSeconds * 1000, deaths_written: written.length,
      delay_p50_ms: percentile(matched.delays, 50), delay_p95_ms: percentile(matched.delays, 95), delay_p99_ms: percentile(matched.delays, 99),
      lateness_p99_ms: lateness.p99Ms, lateness_max_ms: lateness.maxMs, rss_max_mib: round(rssMax / 2 ** 20, 0),
      lost: matched.lost, duplicated: matched.duplicated, summarised: matched.summarised,
      burst_requests: burst.requests, burst_peak_per_s: burst.peakPerSecond, burst_share_of_global: round(burst.peakPerSecond / GLOBAL_PER_S, 2),
      global_429: posts.filter((p) => p.status === 429 && p.limitScope === 'global').length,
      route_429: posts.filter((p) => p.status === 429 && p.limitScope !== 'global').length,
    };
    note(`fleet of ${n}: ${JSON.stringify(figuresOfN)}`);
    return figuresOfN;
  } finally {
    await app.stop({ deadlineMs: 5_000 }).catch((error: unknown) => note(`stop: ${String(error)}`));
    dev.stop();
    db.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Each guild's server added as `/server add` would, its killfeed channel set, spread over one poll interval so their ticks are too. */
async function addServers(app: App, folders: readonly { folder: LiveFolder; guildId: string; channelId: string }[], intervalMs: number): Promise<void> {
  for (const [i, f] of folders.entries()) {
    const guild = app.store.guild(f.guildId);
    await guild.settings.setChannel('killfeed', f.channelId);
    const server = await guild.servers.add({ name: `Server ${i}`, localPath: f.folder.root });
    await app.watcher.watch(guild, server);
    await sleep(intervalMs / folders.length);
  }
}

/**
 * Each written death should be in exactly one posted embed of its channel: the embed's timestamp is
 * the death's time and its text names the victim. Deaths folded into a "+N more" line are summarised.
 */
function matchPosts(written: readonly Written[], posts: readonly ChannelPost[]): { delays: number[]; lost: number; duplicated: number; summarised: number } {
  const byChannel = new Map<string, { at: number; timestamp: string; text: string }[]>();
  let summarised = 0;
  for (const p of posts) {
    const list = byChannel.get(p.channelId) ?? [];
    // Names are markdown-escaped in embeds (`Wolf\_12`): compared without the escapes.
    for (const e of p.embeds) list.push({ at: p.at, timestamp: String(e.timestamp ?? ''), text: JSON.stringify(e).replace(/\\/g, '') });
    byChannel.set(p.channelId, list);
    for (const m of `${p.content} ${JSON.stringify(p.embeds)}`.matchAll(/\+(\d+) more/g)) summarised += Number(m[1]);
  }
  const delays: number[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const w of written) {
    const iso = new Date(w.eventTime).toISOString();
    const hits = (byChannel.get(w.channelId) ?? []).filter((e) => e.timestamp === iso && e.text.includes(w.victim));
    if (hits.length === 0) lost += 1;
    if (hits.length > 1) duplicated += hits.length - 1;
    if (hits[0]) delays.push(hits[0].at - w.writtenAt);
  }
  return { delays, lost: Math.max(0, lost - summarised), duplicated, summarised };
}

async function waitUntilPosted(dev: RemoteDiscord, since: number, written: readonly Written[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = matchPosts(written, (await dev.posts(since)).filter((p) => p.status === 200));
    if (m.lost === 0 || Date.now() > end) return;
    await sleep(1_000);
  }
}

/** One PvP kill appended to every server's live death log at once; the message requests' busiest second after it. */
async function measureBurst(dev: RemoteDiscord, folders: readonly { folder: LiveFolder }[]): Promise<{ startedAt: number; requests: number; peakPerSecond: number }> {
  await sleep(3_000);
  const startedAt = Date.now();
  const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, '.').replace('T', '-').slice(0, 19);
  for (const [i, { folder }] of folders.entries()) {
    const live = readdirSync(folder.deathLogDir).sort().at(-1) ?? '';
    appendFileSync(join(folder.deathLogDir, live), `${stamp};Burst${i};0002${'b'.repeat(28)};Target${i};0002${'c'.repeat(28)};M99;412;PS5;PS5;\n`);
  }
  const end = Date.now() + 60_000;
  let posts: ChannelPost[] = [];
  while (Date.now() < end) {
    posts = (await dev.posts(startedAt)).filter((p) => p.status === 200);
    if (posts.length >= folders.length) break;
    await sleep(1_000);
  }
  const all = await dev.posts(startedAt);
  let peak = 0;
  for (const p of all) peak = Math.max(peak, all.filter((q) => q.at >= p.at && q.at < p.at + 1_000).length);
  return { startedAt, requests: all.length, peakPerSecond: peak };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}
