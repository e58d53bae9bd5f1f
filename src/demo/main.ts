/**
 * `npm run demo [-- --seconds N] [-- --follow]`: the real bot, offline. A root like src/main.ts: it
 * chooses the stand-ins (dev-mongo in this process, the Discord stand-in on loopback) and the
 * sources (local folders written by the live-server generator), then lets the bot work as it would
 * for two Discord servers with two game servers between them, printing what it posts and what it
 * answers. Ends on its own with a summary (exit 0), or runs until Ctrl-C with --follow.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commands } from '../../commands/index.js';
import { loadConfig } from '../../config/load-config.js';
import { buildApp } from '../app/build-app.js';
import { untilStopped } from '../cli/until-stopped.js';
import { startDevDiscord } from '../dev-discord/index.js';
import type { CommandInvocation, DevDiscord, DevGuild } from '../dev-discord/types.js';
import { startDevMongo } from '../dev-mongo/index.js';
import { deployCommands } from '../discord/deploy.js';
import { createRegistry } from '../discord/registry.js';
import { LiveFolder } from '../generator/live-folder.js';
import { LiveServer } from '../generator/live-server.js';
import { createLogger } from '../logging/logger.js';
import { showMessage } from './terminal.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, follow: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write('npm run demo [-- --seconds N] [-- --follow]\n  the bot against local stand-ins of Discord and MongoDB, with two simulated game servers; --seconds: how long the servers are played (default 60); --follow: run until Ctrl-C\n');
  process.exit(0);
}
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds < 5 || seconds > 3600) {
  process.stderr.write(`--seconds must be a number from 5 to 3600, got '${values.seconds}'\n`);
  process.exit(2);
}

/** Busier than a real server, so that a minute shows a lively feed: deaths, comings and goings, world events. */
const DEMO_PACE = { deathsPerPlayerHour: 40, sessionMinutes: 15, awayMinutes: 20, worldEventsPerHour: 40 };
/** The game servers have been running this long: their older rows are the history the demo reads first. */
const HISTORY_MS = 24 * 3_600_000;

const say = (line: string): void => { process.stdout.write(`${line}\n`); };
const root = mkdtempSync(join(tmpdir(), 'killfeed-demo-'));
const mongo = await startDevMongo({ port: 0 });
const discord = await startDevDiscord({ guilds: 2 });
const httpPort = await freePort();
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false });
const config = loadConfig({
  DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl,
  MONGODB_URI: mongo.uri, MONGODB_DATABASE: 'killfeed_demo', SECRETS_KEY: randomBytes(32).toString('hex'),
  HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort),
}, 'bot');
// The simulated servers' past first (a few seconds of generating), before the bot measures its event loop.
const now = Date.now();
const [guildA, guildB] = discord.guilds as [DevGuild, DevGuild];
const servers = [
  { guild: guildA, name: 'Deadside EU #1', folder: new LiveFolder(join(root, 'eu1'), new LiveServer({ ...DEMO_PACE, seed: 11, start: now - HISTORY_MS, maxPlayers: 40 })) },
  { guild: guildA, name: 'Deadside EU #2 PvE', folder: new LiveFolder(join(root, 'eu2'), new LiveServer({ ...DEMO_PACE, seed: 12, start: now - HISTORY_MS, deathsPerPlayerHour: DEMO_PACE.deathsPerPlayerHour / 2, maxPlayers: 20 })) },
  { guild: guildB, name: 'Wasteland US', folder: new LiveFolder(join(root, 'us'), new LiveServer({ ...DEMO_PACE, seed: 13, start: now - HISTORY_MS, maxPlayers: 60 })) },
];
for (const s of servers) s.folder.advanceTo(now);
const app = await buildApp(config, logger);
let exitCode = 0;
try {
  await deployCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.apiUrl, registry: createRegistry(commands) });
  await app.start();
  say(`The bot is logged in to the Discord stand-in (${discord.apiUrl}), with dev-mongo as its database.`);
  say(`Dashboard: http://127.0.0.1:${httpPort}/ (while the demo runs)\n`);

  const watcher = watchChannels(discord);

  say('== Setting up: channels for the feeds, the game servers, their history');
  for (const guild of [guildA, guildB]) {
    await run(guild, { name: 'feeds', subcommand: 'set', options: { kind: 'killfeed', channel: channelOf(guild, 'killfeed') } });
    await run(guild, { name: 'feeds', subcommand: 'set', options: { kind: 'connections', channel: channelOf(guild, 'general') } });
    await run(guild, { name: 'feeds', subcommand: 'set', options: { kind: 'events', channel: channelOf(guild, 'general') } });
  }
  for (const s of servers) {
    // A local folder stands in for the host's SFTP login: /server add takes SFTP only, so the demo adds it to the store as an operator's script would.
    const guild = app.store.guild(s.guild.id);
    const added = await guild.servers.add({ name: s.name, localPath: s.folder.root, enabled: false });
    say(`${s.guild.name}: game server "${s.name}" added (a local folder written by the simulator)`);
    await run(s.guild, { name: 'server', subcommand: 'history', options: { server: added.id } }, (m) => /^History (of|run of) /.test(m.content), 120_000);
    await guild.servers.update(added.id, { enabled: true });
    await app.watcher.watch(guild, (await guild.servers.get(added.id)) ?? added);
    // Each Discord server of the stand-in has one voice channel: it shows the count of its first game server.
    if (s === servers.find((o) => o.guild === s.guild)) await run(s.guild, { name: 'feeds', subcommand: 'set', options: { kind: 'player-count', channel: channelOf(s.guild, 'players'), server: added.id } });
  }

  say(`\n== The game servers are played for ${seconds} s: what the bot posts`);
  watcher.start();
  const end = Date.now() + seconds * 1000;
  let asked = false;
  while (values.follow || Date.now() < end) {
    for (const s of servers) s.folder.advanceTo(Date.now());
    if (!asked && Date.now() > end - (seconds * 1000) / 2) {
      asked = true;
      await askAround(guildA);
    }
    if (values.follow && Date.now() > end) {
      say('\n(--follow: running until Ctrl-C)');
      await Promise.race([untilStopped(), playForever(servers.map((s) => s.folder))]);
      break;
    }
    await sleep(500);
  }
  await sleep(3_000);
  watcher.stop();

  say('\n== Summary');
  for (const line of watcher.summary()) say(line);
  const posted = watcher.count('killfeed');
  say(`${posted} killfeed posts; the dashboard and /metrics were at http://127.0.0.1:${httpPort}/`);
  if (posted === 0) {
    say('No kill was posted: something is wrong. Run with LOG_LEVEL=info to see why.');
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`The demo failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await app.stop({ deadlineMs: 5_000 }).catch(() => undefined);
  await discord.close();
  await mongo.close();
  rmSync(root, { recursive: true, force: true });
}
process.exit(exitCode);

/** A few commands a member and an admin would try, with their answers. */
async function askAround(guild: DevGuild): Promise<void> {
  say('\n== Commands, as members use them');
  await run(guild, { name: 'leaderboard', options: { board: 'kills' } }, undefined, 30_000, 'member');
  // The player a member would pick from autocomplete: its value is the EOS id.
  const [leader] = await app.store.guild(guild.id).stats.leaderboard({ metric: 'kills', limit: 1 });
  if (leader) await run(guild, { name: 'stats', options: { player: leader.playerId } }, undefined, 30_000, 'member');
  await run(guild, { name: 'admin', subcommand: 'queue' });
  await run(guild, { name: 'server', subcommand: 'status', options: { server: 'Deadside EU #1' } });
  say('');
}

/** Runs a slash command through the stand-in as the guild's admin (or member) and prints the final answer. */
async function run(guild: DevGuild, invocation: Omit<CommandInvocation, 'guildId' | 'user'>, done?: (m: { content: string; embeds: unknown[] }) => boolean, timeoutMs = 30_000, user: 'admin' | 'member' = 'admin'): Promise<string> {
  const text = `/${invocation.name}${invocation.subcommand ? ` ${invocation.subcommand}` : ''}${Object.entries(invocation.options ?? {}).map(([k, v]) => ` ${k}:${String(v)}`).join('')}`;
  const started = discord.command({ guildId: guild.id, user, ...invocation });
  const ack = await started.acknowledged;
  const answer = ack.type === 4
    ? { content: String(ack.data?.content ?? ''), embeds: (ack.data?.embeds as unknown[] | undefined) ?? [] }
    : await started.waitForOriginal((m) => (done ? done(m) : m.content !== '' || m.embeds.length > 0), timeoutMs);
  say(showMessage(`[${guild.name}] ${user} ${text}\n  ->`, answer));
  return [answer.content, JSON.stringify(answer.embeds)].join('\n');
}

function channelOf(guild: DevGuild, name: string): string {
  const channel = guild.channels.find((c) => c.name === name);
  if (!channel) throw new Error(`the stand-in's guild has no #${name}`);
  return channel.id;
}

/** Prints every message the bot posts in the guilds' channels (and renames of the player-count channel), as they come. */
function watchChannels(dev: DevDiscord): { start(): void; stop(): void; count(channelName: string): number; summary(): string[] } {
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  const poll = (): void => {
    for (const guild of dev.guilds) {
      for (const channel of guild.channels) {
        const key = `${guild.name} #${channel.name}`;
        if (channel.type === 2) {
          const name = dev.channelName(channel.id);
          if (names.get(channel.id) !== name) say(`[${key}] renamed to "${name}"`);
          names.set(channel.id, name);
          continue;
        }
        const messages = dev.messages(channel.id);
        for (const m of messages.slice(seen.get(channel.id) ?? 0)) {
          say(showMessage(`[${key}]`, m));
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        seen.set(channel.id, messages.length);
      }
    }
  };
  return {
    start: () => {
      for (const guild of dev.guilds) {
        for (const c of guild.channels) {
          seen.set(c.id, dev.messages(c.id).length);
          if (c.type === 2) names.set(c.id, dev.channelName(c.id));
        }
      }
      timer = setInterval(poll, 250);
    },
    stop: () => {
      if (timer) clearInterval(timer);
      poll();
    },
    count: (channelName) => [...counts.entries()].filter(([k]) => k.endsWith(`#${channelName}`)).reduce((n, [, c]) => n + c, 0),
    summary: () => [...counts.entries()].map(([k, c]) => `${k}: ${c} messages`),
  };
}

async function playForever(folders: readonly LiveFolder[]): Promise<never> {
  for (;;) {
    for (const f of folders) f.advanceTo(Date.now());
    await sleep(500);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

