import { once } from 'node:events';
import { Events, type Client } from 'discord.js';
import type { Config } from '../../config/load-config.js';
import type { HistoryRunView, HistoryRuns } from '../discord/context.js';
import { runHistory, type HistoryDeps, type HistoryProgress, type HistoryReport } from '../ingest/history-run.js';
import { serverKey, type TickScheduler } from '../ingest/scheduler.js';
import type { Logger } from '../logging/logger.js';
import { TaskError, type IoTaskContext, type TaskPool } from '../pool/index.js';
import type { SftpPool } from '../sources/index.js';
import type { GameServer, GuildStore, HistoryMark, Store } from '../store/index.js';
import type { ProductionTasks } from '../worker/index.js';
import { describeHistoryFailure, describeHistoryReport } from './history-text.js';
import { watchGameServer } from './watch-game-server.js';

/** The parts history runs use; the composition root may hand over all of its parts (the rest is ignored). */
export interface HistoryRunsParts {
  store: Pick<Store, 'guild' | 'historyMarks' | 'membership'>;
  pool: Pick<TaskPool<ProductionTasks>, 'submitIo' | 'cancel' | 'stats'>;
  writer: HistoryDeps['writer'];
  sftp: SftpPool;
  /** A watched server's history run reads through its ticks' own watch, so the ticks go on from where the run ended. */
  scheduler: Pick<TickScheduler, 'watch'>;
  logger: Logger;
  config: Pick<Config, 'pollIntervalSeconds'>;
  /** Where the summary of a run continued after a restart is posted (its recorded channel); absent: only logged. */
  discord?: Client;
}

/** History runs as the composition root holds them: also cancelled by guild, when the bot is removed from one. */
export interface GuildHistoryRuns extends HistoryRuns {
  /** Cancels the guild's runs, running or waiting (their marks go, so no restart continues them); returns how many. */
  cancelGuild(guildId: string): number;
}

/**
 * History runs in the bot: one per game server at a time, in the pool as exclusive I/O under the
 * server's key (never beside its ticks), CPU steps at LOW priority so commands never wait for them.
 * Each run is marked in the store while it goes, so a restart continues it from the durable cursors.
 */
export function createHistoryRuns<P extends HistoryRunsParts>(parts: P): GuildHistoryRuns {
  const log = parts.logger.child({ module: 'history-runs' });
  // Which server has a run going. start() checks and sets it without awaiting anything, so two
  // requests arriving together can never both start one: this map is the per-server mutex.
  const runs = new Map<string, HistoryRunView>();
  const start: HistoryRuns['start'] = (guild, server, options) => {
    const going = runs.get(server.id);
    if (going) return { started: false, run: going };
    const { view, settled } = launchRun(parts, log, guild, server, options);
    runs.set(server.id, view);
    void settled.finally(() => runs.delete(server.id));
    return { started: true, run: view };
  };
  return {
    start,
    running: (serverId) => runs.get(serverId),
    resumeInterrupted: () => resumeMarked(parts, log, start),
    cancelGuild: (guildId) => [...runs.values()]
      .filter((run) => run.guildId === guildId && parts.pool.cancel(run.taskId, 'the bot was removed from the Discord server')).length,
  };
}

/** Marks the run and submits it to the pool; `settled` resolves once it ended and its mark is dealt with. */
function launchRun(
  parts: HistoryRunsParts, log: Logger, guild: GuildStore, server: GameServer, options: { fresh: boolean; channelId?: string },
): { view: HistoryRunView; settled: Promise<void> } {
  const mark: HistoryMark = { guildId: guild.guildId, serverId: server.id, fresh: options.fresh, resetDone: false, startedAt: new Date(), channelId: options.channelId ?? null };
  // Marked at once, so a run still waiting for its turn when the bot stops is continued too.
  const marked = parts.store.historyMarks.set(mark);
  marked.catch((error: unknown) => log.error({ err: error, guildId: guild.guildId, serverId: server.id }, 'could not mark a history run: it does not start'));
  const listeners = new Set<(progress: HistoryProgress) => void>();
  const report = (progress: HistoryProgress): void => {
    view.progress = progress;
    for (const listener of listeners) listener(progress);
  };
  const handle = parts.pool.submitIo((ctx) => runMarked(parts, { guild, server, mark, marked }, ctx, report), {
    label: 'history-run', key: serverKey(server.id), exclusive: true, priority: 'LOW', timeoutMs: 0,
    meta: { guildId: guild.guildId, serverId: server.id, server: server.name },
  });
  const view: HistoryRunView = {
    guildId: guild.guildId, serverId: server.id, serverName: server.name, taskId: handle.id, startedAt: mark.startedAt.getTime(),
    progress: null, result: handle.result.catch((error: unknown) => { throw parts.pool.stats().accepting ? error : interrupted(error); }),
    onProgress: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel: () => parts.pool.cancel(handle.id, 'cancelled by an admin'),
  };
  return { view, settled: settle(parts, log, view, marked) };
}

/** Logs how the run ended and clears its mark, unless the bot is stopping: then the next start continues it. */
async function settle(parts: HistoryRunsParts, log: Logger, view: HistoryRunView, marked: Promise<void>): Promise<void> {
  const where = { guildId: view.guildId, serverId: view.serverId, server: view.serverName };
  const ended = await view.result.then((r) => ({ report: r }), (error: unknown) => ({ error }));
  if ('error' in ended) log.warn({ err: ended.error, ...where }, 'history run ended early');
  else log.info({ ...where, ...summaryFields(ended.report) }, 'history run finished');
  if ('error' in ended && isInterrupted(ended.error)) return;
  if (!(await marked.then(() => true, () => false))) return;
  await parts.store.historyMarks.clear(view.serverId)
    .catch((error: unknown) => log.error({ err: error, ...where }, 'could not clear the mark of a finished history run'));
}

/** Continues every marked run whose server still exists, in guilds the bot is still in; returns how many. */
async function resumeMarked(parts: HistoryRunsParts, log: Logger, start: HistoryRuns['start']): Promise<number> {
  const left = await parts.store.membership.left();
  let resumed = 0;
  for (const mark of await parts.store.historyMarks.list()) {
    // A guild the bot left keeps its mark: its data goes after the grace period, the mark with it.
    if (left.has(mark.guildId)) continue;
    const guild = parts.store.guild(mark.guildId);
    const server = await guild.servers.get(mark.serverId);
    if (!server) {
      await parts.store.historyMarks.clear(mark.serverId);
      continue;
    }
    // A fresh run whose wipe had not happened yet still owes it; after the wipe it goes on from its cursors.
    const { run } = start(guild, server, { fresh: mark.fresh && !mark.resetDone, ...(mark.channelId ? { channelId: mark.channelId } : {}) });
    resumed += 1;
    if (mark.channelId !== null) void announceEnd(parts, log, run, mark.channelId);
  }
  return resumed;
}

/** Once the run is marked, reads through the server's watch (the ticks' own one when it is watched), and closes what it opened. */
async function runMarked(
  parts: HistoryRunsParts, { guild, server, mark, marked }: { guild: GuildStore; server: GameServer; mark: HistoryMark; marked: Promise<void> },
  ctx: IoTaskContext<ProductionTasks>, onProgress: (progress: HistoryProgress) => void,
): Promise<HistoryReport> {
  // A run that could not be marked would not be continued after a restart: it does not start.
  await marked;
  const ticking = parts.scheduler.watch(server.id);
  const watch = ticking ?? await watchGameServer({ guild, server, sftp: parts.sftp, logger: parts.logger, defaultIntervalSeconds: parts.config.pollIntervalSeconds });
  try {
    // The newest file is live: its unfinished last row waits for the ticks, as after any read.
    return await runHistory({ writer: markingReset(parts, mark), now: Date.now, seasonStarts: (t) => guild.seasons.starts(t.serverId) }, watch, ctx, { fresh: mark.fresh, finalizeNewest: false, onProgress });
  } finally {
    if (!ticking) await watch.source.close();
  }
}

/** The writer, whose wipe is recorded in the run's mark once done, so a restart after it does not wipe what was read since. */
function markingReset(parts: HistoryRunsParts, mark: HistoryMark): HistoryDeps['writer'] {
  const { writer } = parts;
  return {
    add: (target, work) => writer.add(target, work),
    flush: (target) => writer.flush(target),
    resume: (target) => writer.resume(target),
    reset: async (target) => {
      await writer.reset(target);
      await parts.store.historyMarks.set({ ...mark, resetDone: true });
    },
  };
}

/** Posts how a continued run ended to the channel it was started from (nobody holds its reply any more). */
async function announceEnd(parts: HistoryRunsParts, log: Logger, run: HistoryRunView, channelId: string): Promise<void> {
  const ended = await run.result.then((r) => ({ content: describeHistoryReport(run.serverName, r) }), (error: unknown) => ({ error }));
  if (!parts.discord || ('error' in ended && isInterrupted(ended.error))) return;
  const content = 'content' in ended ? ended.content : describeHistoryFailure(run.serverName, ended.error);
  try {
    const client = parts.discord;
    if (!client.isReady()) await once(client, Events.ClientReady);
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`channel ${channelId} is not one the bot can post in`);
    await channel.send({ content: `${content} (continued after the bot restarted)` });
  } catch (error) {
    log.warn({ err: error, guildId: run.guildId, serverId: run.serverId, channelId }, 'could not post the summary of a continued history run');
  }
}

/** A run stopped because the bot is stopping: it is continued at the next start, not over. */
function interrupted(cause: unknown): TaskError {
  return new TaskError('interrupted', 'The history run stopped because the bot is shutting down; it continues when the bot starts again.', { cause });
}

function isInterrupted(error: unknown): boolean {
  return error instanceof TaskError && error.kind === 'interrupted';
}

function summaryFields(report: HistoryReport): Record<string, number> {
  return { files: report.files, rows: report.rows, malformed: report.malformed, bytes: report.bytes, seconds: report.seconds };
}
