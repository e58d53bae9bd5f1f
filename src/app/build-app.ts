import { availableParallelism } from 'node:os';
import type { Client } from 'discord.js';
import { commands as allCommands } from '../../commands/index.js';
import { createBoardRefresher, type BoardRefresher } from '../../commands/leaderboard/pinned.js';
import type { Config } from '../../config/load-config.js';
import { createBot, type Bot } from '../discord/bot.js';
import { createDiscordClient } from '../discord/client.js';
import type { SlashCommand } from '../discord/command.js';
import type { CommandContext, HistoryRuns, ServerWatcher } from '../discord/context.js';
import { createGuildLifecycle, type GuildLifecycle } from '../discord/guild-lifecycle.js';
import { createInteractionBoundary } from '../discord/interactions.js';
import { createRegistry } from '../discord/registry.js';
import { Feed } from '../ingest/feed.js';
import { TickScheduler } from '../ingest/scheduler.js';
import { runTick } from '../ingest/tick.js';
import { storeTickDeps } from '../ingest/store-tick-deps.js';
import type { Logger } from '../logging/logger.js';
import { createTaskPool, type PoolOptions, type ShutdownReport, type TaskPool } from '../pool/index.js';
import { createSftpPool, type SftpPool } from '../sources/index.js';
import { productionWorkerFile, type ProductionTasks } from '../worker/index.js';
import { createIngestWriter, openStore, parseSecretsKey, type IngestWriter, type Store } from '../store/index.js';
import { createOutbox, ensureOutboxIndexes } from '../store/outbox.js';
import { createOutboxPoster, type OutboxPoster } from '../feeds/outbox-poster.js';
import { createPlayerCountRenamer, type PlayerCountRenamer } from '../feeds/player-count.js';
import { discordChannelRenames } from '../feeds/player-count-discord.js';
import { createHttpPart, type HttpPart } from '../http/index.js';
import { createMetrics, outboxBacklog, type Metrics } from '../metrics/index.js';
import { createHistoryRuns } from './history-runs.js';
import { createServerWatcher } from './server-watcher.js';

/**
 * The running product's parts, built once by the composition root and passed down as narrow slices.
 * Frozen: nothing reaches in to swap a part.
 */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly pool: TaskPool<ProductionTasks>;
  readonly writer: IngestWriter;
  readonly sftp: SftpPool;
  readonly feed: Feed;
  /** Posts the durable feed items (outbox) to Discord; started after login, drained on stop. */
  readonly poster: OutboxPoster;
  readonly scheduler: TickScheduler;
  /** Renames each game server's player-count voice channel from the feed's counts; renames start after login. */
  readonly playerCounts: PlayerCountRenamer;
  readonly watcher: ServerWatcher;
  readonly history: HistoryRuns;
  readonly lifecycle: GuildLifecycle;
  /** The Discord client; logged in by `start`. */
  readonly discord: Client;
  /** Pinned leaderboards, edited in place when due (checked each minute once logged in). */
  readonly boards: BoardRefresher;
  /** Prometheus registry and the feed delivery figures (the poster reports each post to `metrics.feeds`). */
  readonly metrics: Metrics;
  /** Health, API, metrics and dashboard on HTTP_HOST:HTTP_PORT; listening from `start` until `stop`. */
  readonly http: HttpPart;
  /**
   * Deletes guilds left past the grace period, watches the enabled game servers of every guild the
   * bot is still in, logs in to Discord, then continues the history runs a restart cut short in the
   * guilds the bot is still in.
   * Resolves with the number of servers watched, once the bot is ready.
   */
  start(): Promise<number>;
  /** Stops ticks, drains the pool up to the deadline, flushes writes, then closes the client, SFTP and the store. */
  stop(options?: { deadlineMs?: number }): Promise<ShutdownReport>;
  /** The second Ctrl-C: cancel what still runs. */
  forceStop(): Promise<ShutdownReport>;
}

/** Maps the validated configuration onto the pool, on the product's worker entry: one thread per core plus a reserved one for commands. */
export function poolOptionsFrom(config: Config): PoolOptions {
  const cores = availableParallelism();
  return {
    workerFile: productionWorkerFile(),
    minThreads: config.poolMinThreads,
    // A thread beyond the cores for interactive work: with bulk work on every core, a slash
    // command's task still starts at once instead of waiting for a bulk slice to finish.
    maxThreads: config.poolMaxThreads ?? cores + 1,
    idleTimeoutMs: config.poolIdleTimeoutMs,
    interactiveShare: config.poolInteractiveShare,
    ioConcurrency: config.poolIoConcurrency,
    defaultTimeoutMs: config.poolTaskTimeoutMs,
    slowTaskMs: config.poolSlowTaskMs,
    maxOldGenerationSizeMb: config.poolWorkerMaxMemoryMb,
    workerNice: config.poolWorkerNice,
  };
}

export interface AppOptions {
  /**
   * A part failed in a way only a restart mends (the ingest writer gave up on the database). The
   * entry point stops the app and exits non-zero so the process supervisor starts it again.
   */
  onFatal?: (error: Error) => void;
  /** The clock of the guild lifecycle and of commands' time windows (ms since the epoch); tests move it. */
  now?: () => number;
  /** The slash commands; default: every command in commands/. */
  commands?: readonly SlashCommand[];
}

/** Builds every part (connecting to the database, not to Discord) without starting any work. */
export async function buildApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  if (!config.mongodbUri || !config.secretsKey) throw new Error('MONGODB_URI and SECRETS_KEY are required to run the bot.');
  const store = await openStore({ uri: config.mongodbUri, dbName: config.mongodbDatabase, secretsKey: parseSecretsKey(config.secretsKey), logger });
  const pool = createTaskPool<ProductionTasks>(poolOptionsFrom(config), logger);
  const discord = createDiscordClient({ token: config.discordToken, logger, ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}) });
  const outbox = createOutbox(store);
  // Reads the scheduler only when scraped, by which time it exists.
  const metrics = createMetrics({ pool, discord, servers: () => scheduler.health(), backlog: outboxBacklog(outbox) });
  const poster = createOutboxPoster({ outbox, settings: (guildId) => store.guild(guildId).settings, rest: discord.rest, logger, backlogLimit: config.feedBacklogLimit, delivery: metrics.feeds });
  const writer = createIngestWriter(store, {
    logger,
    onOutbox: (guildId, purposes) => poster.wake(guildId, purposes),
    onStopped: (error) => {
      logger.fatal({ err: error }, 'statistics can no longer be written: stopping so the bot restarts from the durable cursors');
      options.onFatal?.(error);
    },
  });
  const sftp = metrics.countSftp(createSftpPool());
  const feed = new Feed((error, item) => logger.error({ err: error, kind: item.kind, serverId: item.serverId }, 'a feed subscriber failed'));
  const tickDeps = { ...storeTickDeps(store, writer, feed), missionLevels: config.missionLevels };
  const playerCounts = createPlayerCountRenamer({
    discord: discordChannelRenames(discord), settings: (guildId) => store.guild(guildId).settings, logger,
    serverName: async (guildId, serverId) => (await store.guild(guildId).servers.get(serverId))?.name ?? null,
  });
  feed.subscribe((item) => playerCounts.take(item));
  const scheduler = new TickScheduler({ pool, tick: (watch, ctx) => runTick(tickDeps, watch, ctx), logger, forget: (target) => writer.forget(target) });
  const watcher = createServerWatcher({ store, scheduler, sftp, logger, defaultIntervalSeconds: config.pollIntervalSeconds });
  const history = createHistoryRuns({ store, pool, writer, sftp, scheduler, logger, config, discord });
  const registry = createRegistry(options.commands ?? allCommands);
  const context: CommandContext = Object.freeze({ store, pool, watcher, history, sftp, logger, startedAt: Date.now(), now: options.now ?? Date.now, commands: registry.all });
  const lifecycle = createGuildLifecycle({ membership: store.membership, watcher, history, logger, now: options.now ?? Date.now });
  const bot = createBot({ client: discord, handle: createInteractionBoundary({ registry, context, logger }), lifecycle, logger });
  const boards = createBoardRefresher({ client: discord, store, logger });
  const http = createHttpPart({ config, pool, store, discord, scheduler, watcher, history, metrics, logger });
  const parts = { http, metrics, boards, config, logger, store, pool, writer, sftp, feed, poster, scheduler, playerCounts, watcher, history, lifecycle, discord };
  return Object.freeze({ ...parts, ...lifecycleOf(parts, bot) });
}

type Parts = Omit<App, 'start' | 'stop' | 'forceStop'>;

/** Start and stop: the order in which the parts begin and end their work. */
function lifecycleOf(parts: Parts, bot: Bot): Pick<App, 'start' | 'stop' | 'forceStop'> {
  const { config, logger, pool, scheduler, lifecycle } = parts;
  let stopping: Promise<ShutdownReport> | null = null;
  const closeRest = async (report: ShutdownReport, drainMs: number): Promise<ShutdownReport> => {
    // Open until the pool has drained, so the readiness check says the bot is stopping meanwhile.
    await parts.http.close();
    parts.metrics.close();
    await parts.writer.close();
    await parts.boards.stop();
    // Everything durable is in the outbox now: post it while the client is still logged in.
    await parts.poster.drain(drainMs);
    await bot.destroy();
    await parts.sftp.close();
    await parts.store.close();
    return report;
  };
  const halt = (): void => {
    parts.http.setTicking(false);
    lifecycle.stopSweeping();
    scheduler.stop();
    void parts.boards.stop();
    parts.playerCounts.stop();
  };
  return {
    async start() {
      await parts.http.start();
      await ensureOutboxIndexes(parts.store);
      await lifecycle.sweep();
      lifecycle.startSweeping();
      let watched = 0;
      for (const guildId of await lifecycle.watchable()) watched += await parts.watcher.watchGuild(guildId);
      parts.http.setTicking(true);
      logger.info({ servers: watched }, 'watching game servers');
      await bot.login();
      // After login, whose reconcile marks the guilds that removed the bot while it was offline: their runs are not continued.
      const resumed = await parts.history.resumeInterrupted();
      if (resumed > 0) logger.info({ runs: resumed }, 'continuing history runs a restart cut short');
      parts.playerCounts.start();
      parts.boards.start();
      await parts.poster.start();
      return watched;
    },
    stop(options: { deadlineMs?: number } = {}) {
      halt();
      const deadlineMs = options.deadlineMs ?? config.shutdownDeadlineMs;
      stopping ??= pool.shutdown({ deadlineMs }).then((report) => closeRest(report, deadlineMs));
      return stopping;
    },
    forceStop() {
      halt();
      stopping ??= pool.forceShutdown().then((report) => closeRest(report, 0));
      return stopping;
    },
  };
}
