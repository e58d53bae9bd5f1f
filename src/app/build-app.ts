import { availableParallelism } from 'node:os';
import type { Config } from '../../config/load-config.js';
import { Feed } from '../ingest/feed.js';
import { TickScheduler } from '../ingest/scheduler.js';
import { runTick } from '../ingest/tick.js';
import { storeTickDeps } from '../ingest/store-tick-deps.js';
import type { Logger } from '../logging/logger.js';
import { createTaskPool, type PoolOptions, type ShutdownReport, type TaskPool } from '../pool/index.js';
import { createSftpPool, type SftpPool } from '../sources/index.js';
import { productionWorkerFile, type ProductionTasks } from '../worker/index.js';
import { createIngestWriter, openStore, parseSecretsKey, type IngestWriter, type Store } from '../store/index.js';
import { watchGameServer } from './watch-game-server.js';

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
  readonly scheduler: TickScheduler;
  /** Starts watching every enabled game server of every guild. */
  start(): Promise<number>;
  /** Stops taking work, drains the pool up to the deadline, then closes parts in reverse order. */
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

export interface AppHooks {
  /**
   * A part failed in a way only a restart mends (the ingest writer gave up on the database). The
   * entry point stops the app and exits non-zero so the process supervisor starts it again.
   */
  onFatal?: (error: Error) => void;
}

/** Builds every part (connecting to the database) without starting any work. */
export async function buildApp(config: Config, logger: Logger, hooks: AppHooks = {}): Promise<App> {
  if (!config.mongodbUri || !config.secretsKey) throw new Error('MONGODB_URI and SECRETS_KEY are required to run the bot.');
  const store = await openStore({ uri: config.mongodbUri, dbName: config.mongodbDatabase, secretsKey: parseSecretsKey(config.secretsKey), logger });
  const pool = createTaskPool<ProductionTasks>(poolOptionsFrom(config), logger);
  const writer = createIngestWriter(store, {
    logger,
    onStopped: (error) => {
      logger.fatal({ err: error }, 'statistics can no longer be written: stopping so the bot restarts from the durable cursors');
      hooks.onFatal?.(error);
    },
  });
  const sftp = createSftpPool();
  const feed = new Feed((error, item) => logger.error({ err: error, kind: item.kind, serverId: item.serverId }, 'a feed subscriber failed'));
  const tickDeps = storeTickDeps(store, writer, feed);
  const scheduler = new TickScheduler({ pool, tick: (watch, ctx) => runTick(tickDeps, watch, ctx), logger, forget: (target) => writer.forget(target) });
  let stopping: Promise<ShutdownReport> | null = null;
  const closeRest = async (report: ShutdownReport): Promise<ShutdownReport> => {
    await writer.close();
    await sftp.close();
    await store.close();
    return report;
  };
  return Object.freeze({
    config, logger, store, pool, writer, sftp, feed, scheduler,
    async start() {
      let watched = 0;
      for (const guildId of await store.guildIds()) {
        const guild = store.guild(guildId);
        for (const server of await guild.servers.list()) {
          if (!server.enabled) continue;
          try {
            scheduler.add(await watchGameServer({ guild, server, sftp, logger, defaultIntervalSeconds: config.pollIntervalSeconds }));
            watched += 1;
          } catch (error) {
            // One server whose settings no longer work (say, credentials sealed with another key)
            // must not keep the others from being watched.
            logger.error({ err: error, guildId, serverId: server.id, server: server.name }, 'cannot watch this game server');
          }
        }
      }
      logger.info({ servers: watched }, 'watching game servers');
      return watched;
    },
    stop(options: { deadlineMs?: number } = {}) {
      scheduler.stop();
      stopping ??= pool.shutdown({ deadlineMs: options.deadlineMs ?? config.shutdownDeadlineMs }).then(closeRest);
      return stopping;
    },
    forceStop() {
      scheduler.stop();
      const forced = pool.forceShutdown();
      stopping ??= forced.then(closeRest);
      return stopping;
    },
  });
}
