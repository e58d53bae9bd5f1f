import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ServerHealth } from '../ingest/health.js';
import type { SftpPool } from '../sources/index.js';
import { registerDiscordMetrics, type DiscordMetricsSource } from './discord-metrics.js';
import { registerIngestMetrics } from './ingest-metrics.js';
import { registerFeedMetrics, type FeedBacklogSource, type FeedDelivery } from './killfeed-metrics.js';
import { registerPoolMetrics, type PoolMetricsSource } from './pool-metrics.js';
import { countedSftpPool } from './sftp-metrics.js';
import type { ScrapeSnapshot } from './scrape-snapshot.js';

export { outboxBacklog, POSTED_FEEDS, type FeedBacklogSource, type FeedDelivery, type FeedDeliveryMetrics } from './killfeed-metrics.js';
export { countedSftpPool } from './sftp-metrics.js';

/** What the metrics read; each part is the narrow slice it uses. */
export interface MetricsSources {
  pool: PoolMetricsSource;
  discord: DiscordMetricsSource;
  /** Health of every watched game server (the tick scheduler's). */
  servers: () => readonly ServerHealth[];
  backlog: FeedBacklogSource;
}

/**
 * The bot's Prometheus registry: its own (never prom-client's global one, so two apps in one test
 * process keep apart), the default process metrics, and the bot's `killfeed_*` metrics.
 */
export interface Metrics {
  readonly registry: Registry;
  /** The text exposition of every metric, from one snapshot of each source; with its content type. */
  scrape(): Promise<string>;
  readonly contentType: string;
  /** Feed delivery delay: the outbox poster reports each posted item here. */
  readonly feeds: FeedDelivery;
  /** Wraps the SFTP connection pool so its operations and errors are counted. */
  countSftp(pool: SftpPool): SftpPool;
  /** Stops listening to the pool and the Discord client. */
  close(): void;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  // Process CPU, memory, handles, GC and event-loop delay (nodejs_eventloop_lag_*_seconds).
  collectDefaultMetrics({ register: registry });
  const snapshots: ScrapeSnapshot<unknown>[] = [];
  const unsubscribePool = registerPoolMetrics(registry, sources.pool, snapshots);
  const unsubscribeDiscord = registerDiscordMetrics(registry, sources.discord);
  registerIngestMetrics(registry, sources.servers, snapshots);
  const feeds = registerFeedMetrics(registry, sources.backlog);
  return {
    registry,
    feeds,
    contentType: registry.contentType,
    scrape() {
      for (const snapshot of snapshots) snapshot.refresh();
      return registry.metrics();
    },
    countSftp: (pool) => countedSftpPool(registry, pool),
    close() {
      unsubscribePool();
      unsubscribeDiscord();
    },
  };
}
