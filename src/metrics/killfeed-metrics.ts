import { Gauge, Histogram, type Registry } from 'prom-client';
import type { OutboxPurpose } from '../store/outbox.js';
import { DurationHistogram, type DurationSummary } from '../pool/samples.js';

/** The feeds posted from the outbox (the player count is a rename, not a post). */
export const POSTED_FEEDS: readonly OutboxPurpose[] = ['killfeed', 'connections', 'events'];

/**
 * What the feed delivery reports. The outbox poster (src/feeds/outbox-poster.ts) calls
 * `observeDelivery` once per item it posted, with the time from the event in the game to the
 * moment Discord accepted the message.
 */
export interface FeedDeliveryMetrics {
  observeDelivery(purpose: OutboxPurpose, delayMs: number): void;
}

/** Items waiting to be posted, per feed, across guilds. */
export type FeedBacklogSource = () => Promise<Partial<Record<OutboxPurpose, number>>>;

/** Recent delivery delays for the dashboard (the last 5 to 10 minutes), per feed. */
export interface FeedDelivery extends FeedDeliveryMetrics {
  recent(): Record<OutboxPurpose, DurationSummary>;
}

const DELAY_BUCKETS = [0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 900];

/**
 * `killfeed_feed_delivery_delay_seconds{feed}` (event in the game to posted in Discord) and
 * `killfeed_feed_backlog_items{feed}` (waiting in the outbox, read at each scrape).
 */
export function registerFeedMetrics(registry: Registry, backlog: FeedBacklogSource): FeedDelivery {
  const registers = [registry];
  const delay = new Histogram({ name: 'killfeed_feed_delivery_delay_seconds', help: 'Time from an event in the game to its feed message accepted by Discord, by feed.', labelNames: ['feed'] as const, buckets: DELAY_BUCKETS, registers });
  const recent = new Map(POSTED_FEEDS.map((feed) => [feed, new DurationHistogram()]));
  for (const feed of POSTED_FEEDS) delay.zero({ feed });
  new Gauge({
    name: 'killfeed_feed_backlog_items', help: 'Feed items waiting to be posted to Discord, by feed, across guilds.', labelNames: ['feed'] as const, registers,
    async collect() {
      const waiting = await backlog();
      for (const feed of POSTED_FEEDS) this.set({ feed }, waiting[feed] ?? 0);
    },
  });
  return {
    observeDelivery(purpose, delayMs) {
      const ms = Math.max(0, delayMs);
      delay.observe({ feed: purpose }, ms / 1000);
      recent.get(purpose)?.add(ms);
    },
    recent: () => Object.fromEntries(POSTED_FEEDS.map((feed) => [feed, recent.get(feed)?.summary()])) as Record<OutboxPurpose, DurationSummary>,
  };
}

/** The backlog read from the outbox: waiting items by feed, one grouped read per scrape. */
export function outboxBacklog(outbox: { backlog(): Promise<Partial<Record<OutboxPurpose, number>>> }): FeedBacklogSource {
  return () => outbox.backlog();
}
