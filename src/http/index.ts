import type { Client } from 'discord.js';
import type { Config } from '../../config/load-config.js';
import type { HistoryRuns, ServerWatcher } from '../discord/context.js';
import type { TickScheduler } from '../ingest/scheduler.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/index.js';
import type { TaskPool } from '../pool/index.js';
import type { Store } from '../store/index.js';
import type { ProductionTasks } from '../worker/index.js';
import { Samples } from './dashboard/samples.js';
import { createHttpSurface } from './server.js';

export type { HttpDeps } from './deps.js';

/** The HTTP surface as the composition root holds it. */
export interface HttpPart {
  /** Listens on HTTP_HOST:HTTP_PORT (not when HTTP_PORT is 0) and starts the charts' sampling; resolves with the URL or null. */
  start(): Promise<string | null>;
  /** The game servers' ticks started (true) or stopped (false): the readiness check says so. */
  setTicking(on: boolean): void;
  close(): Promise<void>;
}

export interface HttpParts {
  config: Pick<Config, 'httpHost' | 'httpPort' | 'adminToken'>;
  pool: TaskPool<ProductionTasks>;
  store: Pick<Store, 'guild' | 'ping'>;
  discord: Pick<Client, 'isReady' | 'ws'>;
  scheduler: Pick<TickScheduler, 'health' | 'tickNow'>;
  watcher: Pick<ServerWatcher, 'watch'>;
  history: Pick<HistoryRuns, 'start'>;
  metrics: Pick<Metrics, 'scrape' | 'contentType' | 'feeds'>;
  logger: Logger;
}

export function createHttpPart(parts: HttpParts): HttpPart {
  const { config, pool, scheduler, logger } = parts;
  let ticking = false;
  const samples = new Samples(() => {
    const { queue, totals } = pool.stats();
    return { queueDepth: queue.depth, finished: totals.completed + totals.failed + totals.cancelled + totals.timedOut };
  });
  const surface = createHttpSurface({
    pool, store: parts.store, discord: { isReady: () => parts.discord.isReady(), gatewayStatus: () => gatewayStatusOf(parts.discord) }, watcher: parts.watcher, history: parts.history,
    servers: () => scheduler.health(), ticking: () => ticking, tickNow: (serverId) => scheduler.tickNow(serverId),
    metrics: parts.metrics, feeds: parts.metrics.feeds, samples, adminToken: config.adminToken, logger,
  });
  return {
    async start() {
      if (config.httpPort === 0) {
        logger.info('HTTP_PORT is 0: no health checks, API, metrics or dashboard');
        return null;
      }
      let url: string;
      try {
        url = await surface.listen(config.httpHost, config.httpPort);
      } catch (error) {
        // The killfeed matters more than its dashboard: the bot goes on, and says so loudly.
        logger.error({ err: error, host: config.httpHost, port: config.httpPort }, `cannot listen on ${config.httpHost}:${config.httpPort} (${(error as NodeJS.ErrnoException).code ?? 'error'}): no health checks, API, metrics or dashboard; choose a free HTTP_PORT, or 0 to turn them off`);
        return null;
      }
      samples.start();
      logger.info({ url, writes: config.adminToken === undefined ? 'off (no ADMIN_TOKEN)' : 'on' }, 'dashboard, API, health and metrics listening');
      return url;
    },
    setTicking(on) {
      ticking = on;
    },
    async close() {
      samples.stop();
      await surface.close();
    },
  };
}

/** The worst shard's status (a dropped socket shows there first), else the manager's. */
function gatewayStatusOf(client: Pick<Client, 'ws'>): number {
  for (const shard of client.ws.shards.values()) if (shard.status !== 0) return shard.status;
  return client.ws.status;
}
