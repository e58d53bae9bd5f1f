/**
 * Slash commands under load: the bot (this process, real discord.js client) against the Discord
 * stand-in and dev-mongo (each in a child process, as Discord and the database are remote in production),
 * with a 1M-row history run going and 100 local-folder servers ticking every 10 s. A burst of 50
 * slash commands and 50 autocompletes, interleaved 10 ms apart (about a second), then the same sent
 * all at once; each measured from INTERACTION_CREATE sent to the acknowledgement received. Also the
 * gateway heartbeat's worst gap and the main thread's worst lateness (a 5 ms timer) in each burst;
 * `BENCH_EXPLAIN=1` prints what ran in the worst late windows (late-windows.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../commands/index.js';
import { loadConfig } from '../config/load-config.js';
import { buildApp, type App } from '../src/app/build-app.js';
import { deployCommands } from '../src/discord/deploy.js';
import { createRegistry } from '../src/discord/registry.js';
import { createLogger } from '../src/logging/logger.js';
import { startDevDiscordProcess, type RemoteDiscord } from './dev-discord-process.js';
import { startDevMongoProcess } from './dev-mongo-process.js';
import { writeLoadFolders, type LoadFolders } from './interactions-load.js';
import { explainLateness } from './late-windows.js';
import { LatenessProbe } from './lateness-probe.js';
import { note, percentile, report, round } from './lib.js';

const LIVE_SERVERS = 100;
/** The live servers are spread over this many Discord servers (a guild's autocomplete reads all of its game servers). */
const GUILDS = 20;
const BURST = 50;
/** Between two interactions of the paced burst. */
const GAP_MS = 10;
/** Short, so the run sees many heartbeats; one is late when its gap exceeds the interval by more than a tenth of it. */
const HEARTBEAT_MS = 1_000;
const LATE_HEARTBEAT_RATIO = 1.1;

const root = mkdtempSync(join(tmpdir(), 'killfeed-bench-interactions-'));
const load = writeLoadFolders(root, LIVE_SERVERS);
note(`generated ${load.historyRows} history rows and ${LIVE_SERVERS} live servers`);
const db = await startDevMongoProcess();
const dev = await startDevDiscordProcess({ heartbeatIntervalMs: HEARTBEAT_MS, guilds: GUILDS });
const guildIds = dev.guilds.map((g) => g.id);
// Errors only: the shutdown at the end cancels the history run and ticks, which warns.
const logger = createLogger({ level: 'error', pretty: false });
const app = await buildApp(loadConfig({
  DISCORD_TOKEN: dev.token, DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl,
  MONGODB_URI: db.uri, MONGODB_DATABASE: `bench_interactions_${Date.now()}`, SECRETS_KEY: randomBytes(32).toString('hex'),
}, 'bot'), logger);
try {
  await deployCommands({ token: dev.token, applicationId: dev.applicationId, apiUrl: dev.apiUrl, registry: createRegistry(commands) });
  await app.start();
  const { historyServerId, serverOfGuild } = await addServers(app, load);
  const history = await startHistory(app, historyServerId);
  await waitFor(() => guildIds.every((id) => app.watcher.health(id).every((h) => h.ticks >= 1)) && history.rowsDone() >= 100_000,
    'every live server ticked once and the history run past 100,000 rows', 300_000);
  const paced = await measureBurst('paced', dev, serverOfGuild, GAP_MS);
  const together = await measureBurst('all at once', dev, serverOfGuild, 0);
  if (!history.running()) note('the history run ended before the bursts did: the load was lighter than intended');
  const onTime = paced.heartbeatRatio <= LATE_HEARTBEAT_RATIO;
  report('interactions', {
    commands: BURST, autocompletes: BURST, gap_ms: GAP_MS, live_servers: LIVE_SERVERS, guilds: GUILDS, history_rows: load.historyRows,
    ...paced.figures, heartbeat_on_time: onTime,
    ...Object.fromEntries(Object.entries(together.figures).map(([k, v]) => [`together_${k}`, v])),
    history_running_through: history.running(),
    target_met: paced.figures.ack_p99_ms <= 50 && paced.figures.autocomplete_p99_ms <= 100 && onTime,
    floor_met: paced.figures.ack_p99_ms <= 100 && paced.figures.autocomplete_p99_ms <= 100 && onTime,
  });
} finally {
  await app.stop({ deadlineMs: 2_000 }).catch((error: unknown) => note(`stop: ${String(error)}`));
  dev.stop();
  db.stop();
  rmSync(root, { recursive: true, force: true });
}

/** One burst with its figures: latencies, the heartbeat's worst gap so far, the main thread's lateness, failed answers. */
async function measureBurst(name: string, discord: RemoteDiscord, serverOfGuild: ReadonlyMap<string, string>, gapMs: number) {
  const ticksBefore = ticks();
  const probe = new LatenessProbe(5);
  probe.start();
  const explain = process.env.BENCH_EXPLAIN === '1' ? explainLateness([{ pid: db.pid, name: 'db' }, { pid: discord.pid, name: 'discord' }]) : null;
  const burst = await runBurst(discord, serverOfGuild, gapMs);
  const lateness = probe.stop();
  for (const line of explain?.stop() ?? []) note(`${name}: ${line}`);
  const { commands: cmd, autocompletes: ac, failed } = burst;
  const heartbeatRatio = round(await discord.worstHeartbeatGap(), 3);
  note(`${name}: commands ack p50 ${percentile(cmd, 50)} ms, p95 ${percentile(cmd, 95)}, p99 ${percentile(cmd, 99)}, max ${Math.max(...cmd)}`);
  note(`${name}: autocomplete p50 ${percentile(ac, 50)} ms, p95 ${percentile(ac, 95)}, p99 ${percentile(ac, 99)}, max ${Math.max(...ac)}`);
  note(`${name}: heartbeat worst gap so far ${heartbeatRatio} x the interval, main thread late by up to ${lateness.maxMs} ms, ${ticks() - ticksBefore} ticks meanwhile`);
  if (failed.length > 0) note(`${name}: ${failed.length} answers with an error, e.g. ${failed[0]}`);
  return {
    heartbeatRatio,
    figures: {
      ack_p50_ms: percentile(cmd, 50), ack_p95_ms: percentile(cmd, 95), ack_p99_ms: percentile(cmd, 99), ack_max_ms: Math.max(...cmd),
      autocomplete_p50_ms: percentile(ac, 50), autocomplete_p95_ms: percentile(ac, 95), autocomplete_p99_ms: percentile(ac, 99), autocomplete_max_ms: Math.max(...ac),
      heartbeat_worst_gap_ratio: heartbeatRatio, main_thread_late_max_ms: lateness.maxMs, failed_answers: failed.length,
    },
  };
}

function ticks(): number {
  return guildIds.reduce((n, id) => n + app.watcher.health(id).reduce((m, h) => m + h.ticks, 0), 0);
}

/**
 * The live servers (ticking every 10 s) spread over the guilds, each watched as `/server add` does,
 * one every 100 ms so that their ticks are spread over the 10 s as servers added over time are;
 * and the history server (not ticking) in the first guild.
 */
async function addServers(bot: App, folders: LoadFolders): Promise<{ historyServerId: string; serverOfGuild: Map<string, string> }> {
  const serverOfGuild = new Map<string, string>();
  for (const [i, localPath] of folders.liveRoots.entries()) {
    const guild = bot.store.guild(guildIds[i % guildIds.length] ?? '');
    const server = await guild.servers.add({ name: `live-${i}`, localPath, pollSeconds: 10 });
    await bot.watcher.watch(guild, server);
    if (!serverOfGuild.has(guild.guildId)) serverOfGuild.set(guild.guildId, server.id);
    await sleep(10_000 / folders.liveRoots.length);
  }
  note(`watching ${folders.liveRoots.length} servers`);
  const history = await bot.store.guild(guildIds[0] ?? '').servers.add({ name: 'history', localPath: folders.historyRoot, enabled: false });
  return { historyServerId: history.id, serverOfGuild };
}

/** Starts a history run of the whole 1M rows, as `/server history` does; it is cancelled when the bot stops. */
async function startHistory(bot: App, serverId: string): Promise<{ rowsDone(): number; running(): boolean }> {
  const guild = bot.store.guild(guildIds[0] ?? '');
  const server = await guild.servers.get(serverId);
  if (server === null) throw new Error('the history server is gone');
  const { run } = bot.history.start(guild, server, { fresh: true });
  run.result.catch(() => undefined);
  return { rowsDone: () => run.progress?.rowsDone ?? 0, running: () => bot.pool.get(run.taskId)?.state === 'RUNNING' };
}

interface BurstResult {
  commands: number[];
  autocompletes: number[];
  /** Final answers that were errors (the load must not make commands fail). */
  failed: string[];
}

/** 50 commands and 50 autocompletes, interleaved, `gapMs` apart (0: sent in one go); latencies as the stand-in measured them. */
async function runBurst(discord: RemoteDiscord, serverOfGuild: ReadonlyMap<string, string>, gapMs: number): Promise<BurstResult> {
  const commandMix = (guildId: string) => [
    { name: 'admin', subcommand: 'queue' },
    { name: 'help' },
    { name: 'server', subcommand: 'list' },
    { name: 'admin', subcommand: 'tasks' },
    { name: 'server', subcommand: 'status', options: { server: serverOfGuild.get(guildId) ?? '' } },
  ];
  const commandRuns: ReturnType<RemoteDiscord['command']>[] = [];
  const autocompleteRuns: ReturnType<RemoteDiscord['autocomplete']>[] = [];
  for (let i = 0; i < BURST; i += 1) {
    const guildId = guildIds[i % guildIds.length] ?? '';
    const mix = commandMix(guildId);
    commandRuns.push(discord.command({ guildId, user: 'admin', ...(mix[i % mix.length] ?? { name: 'help' }) }));
    if (gapMs > 0) await sleep(gapMs);
    const typed = i % 2 === 0 ? 'live' : String(i % 10);
    autocompleteRuns.push(discord.autocomplete({ guildId, user: 'admin', name: 'server', subcommand: 'status', options: { server: typed }, focused: 'server' }));
    if (gapMs > 0) await sleep(gapMs);
  }
  const commandsDone = await Promise.all(commandRuns);
  return {
    commands: commandsDone.map((c) => round(c.latencyMs, 2)),
    autocompletes: (await Promise.all(autocompleteRuns)).map((a) => round(a.latencyMs, 2)),
    failed: commandsDone.map((c) => c.answer.content).filter((content) => /went wrong|error id/i.test(content)),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}
