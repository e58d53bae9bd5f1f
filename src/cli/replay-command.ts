import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load-config.js';
import { startDevMongo, type DevMongo } from '../dev-mongo/index.js';
import { runHistory } from '../ingest/history-run.js';
import { serverKey } from '../ingest/scheduler.js';
import { createServerWatch } from '../ingest/server-watch.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { createTaskPool } from '../pool/index.js';
import { productionWorkerFile, type ProductionTasks } from '../worker/index.js';
import { createLocalSource, DEATH_LOG_NAME } from '../sources/index.js';
import { createIngestWriter, openStore, parseSecretsKey, type PlayerRow } from '../store/index.js';
import { collectDeathLogFiles } from './csv-files.js';
import { formatStatsReport, kdRatio, type StatsReport } from './stats-report.js';
import type { CliIo } from './io.js';

/** The guild the replay tool files its server under (a real-looking snowflake no Discord guild has). */
export const REPLAY_GUILD_ID = '100000000000000001';
const DEATH_LOG_DIR = 'deathlogs/world_0';

/** What `--json` prints: the same shape as `killfeed parse`, read back from the store. */
export type ReplayReport = StatsReport;

/**
 * `killfeed replay <file-or-folder>... [--json] [--server NAME]`: runs death-log files as one game
 * server's history through the real pipeline (local-folder source, worker pool, store), then reads
 * the figures back from the store. The store is an in-process dev-mongo unless MONGODB_URI is set;
 * against a lasting database a second run continues from the stored cursors.
 */
export async function runReplayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseReplayArgs(args);
  const files = await collectDeathLogFiles(positionals);
  const config = loadConfig(process.env, 'tool');
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, pretty: false, destination: { write: (line: string) => io.err(line.trimEnd()) } });
  const folder = linkAsDeathLogFolder(files);
  // Start-up is a chain of first calls, each compiled on the spot: a turn of the event loop between
  // its parts keeps the first timers (a progress bar, the benchmark's probe) on time. A timer, not an
  // immediate: this runs in an I/O callback, and an immediate would resume before any timer ran.
  await new Promise((resolve) => setTimeout(resolve, 0));
  let dev: DevMongo | null = null;
  try {
    dev = config.mongodbUri ? null : await startDevMongo();
    const report = await replay({ uri: config.mongodbUri ?? dev?.uri ?? '', dbName: config.mongodbDatabase, secretsKey: config.secretsKey, serverName: values.server ?? 'replay', folder, workerNice: config.poolWorkerNice, logger, io });
    io.out(values.json ? JSON.stringify(report) : formatStatsReport(report));
    return 0;
  } finally {
    await dev?.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

interface ReplayOptions { uri: string; dbName: string; secretsKey: string | undefined; serverName: string; folder: string; workerNice: number; logger: Logger; io: CliIo }

async function replay(o: ReplayOptions): Promise<ReplayReport> {
  // Replay servers hold no credentials, so any key will do when none is configured.
  const secretsKey = parseSecretsKey(o.secretsKey ?? randomBytes(32).toString('hex'));
  const store = await openStore({ uri: o.uri, dbName: o.dbName, secretsKey, logger: o.logger });
  const writer = createIngestWriter(store, { logger: o.logger, flushRows: 200_000 });
  const threads = Math.max(2, availableParallelism());
  const pool = createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: threads, maxThreads: threads, interactiveShare: 0, workerNice: o.workerNice }, o.logger);
  const source = createLocalSource(o.folder);
  try {
    const guild = store.guild(REPLAY_GUILD_ID);
    const server = (await guild.servers.findByName(o.serverName)) ?? await guild.servers.add({ name: o.serverName, localPath: o.folder });
    const watch = createServerWatch({ target: await guild.ingest.target(server.id), name: o.serverName, source, intervalMs: 10_000, configured: { deathLogDir: DEATH_LOG_DIR } });
    const report = await pool.runIo((ctx) => runHistory({ writer, now: Date.now }, watch, ctx, {
      fresh: false, finalizeNewest: true,
      onProgress: (p) => o.io.err(`replay: ${p.filesDone}/${p.filesTotal} files, ${p.rowsDone} rows, ${p.rowsPerSecond} rows/s${p.etaSeconds === null ? '' : `, ETA ${p.etaSeconds} s`}`),
    }), { label: 'history', key: serverKey(server.id), exclusive: true, priority: 'LOW' });
    for (const m of report.malformedSample.slice(0, 20)) o.io.err(`malformed: ${m.file}:${m.line}: ${m.reason}`);
    await writer.flush();
    const { firstTime: _f, lastTime: _l, ...totals } = await guild.stats.totals(server.id);
    return { totals, players: (await guild.stats.players({ serverId: server.id })).map(toReplayPlayer) };
  } finally {
    await writer.close();
    await pool.shutdown({ deadlineMs: 5_000 });
    await source.close();
    await store.close();
  }
}

function toReplayPlayer(p: PlayerRow): ReplayReport['players'][number] {
  return {
    id: p.playerId, name: p.name, kills: p.kills, deaths: p.deaths, suicides: p.suicides, longestKill: p.longestKill,
    bestStreak: p.bestStreak ?? 0, kd: kdRatio(p.kills, p.deaths), weapons: p.weapons,
  };
}

/** The files, by their own names, in a throwaway death-log folder (links, never copies). */
function linkAsDeathLogFolder(files: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'killfeed-replay-'));
  const dir = join(root, DEATH_LOG_DIR);
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  for (const file of files) {
    const name = basename(file);
    if (!DEATH_LOG_NAME.test(name)) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`${file}: a death log is named like 2025.05.15-00.00.00.csv (the day it starts); rename it so the order is known.`);
    }
    if (seen.has(name)) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`Two files are named ${name}: one server has one file per start time. Replay them as separate servers (--server).`);
    }
    seen.add(name);
    symlinkSync(resolve(file), join(dir, name));
  }
  return root;
}

function parseReplayArgs(args: readonly string[]): { values: { json?: boolean; server?: string }; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: { json: { type: 'boolean' }, server: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}. Usage: killfeed replay <file-or-folder>... [--json] [--server NAME]`);
  }
}
