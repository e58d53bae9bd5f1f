import type { DeathEvent, ServerAnnouncement } from '../../parsers/index.js';

/** What a tick hands to publishers once the data it covers is durable. */
export type FeedItem =
  | { kind: 'kill'; guildId: string; serverId: string; event: DeathEvent }
  | { kind: 'announcement'; guildId: string; serverId: string; announcement: ServerAnnouncement }
  | { kind: 'player-count'; guildId: string; serverId: string; online: number; queued: number; maxPlayers: number | null };

/**
 * The seam between reading logs and posting to Discord: ticks publish, the Discord feed (and tests)
 * subscribe. Publishing never waits for a subscriber, so a slow Discord cannot stall reading.
 */
export class Feed {
  readonly #listeners = new Set<(item: FeedItem) => void>();

  /** `onListenerError` hears a subscriber's failure; one failing subscriber never stops the others or the tick. */
  constructor(private readonly onListenerError: (error: unknown, item: FeedItem) => void = () => undefined) {}

  publish(item: FeedItem): void {
    for (const listener of this.#listeners) {
      try {
        listener(item);
      } catch (error) {
        this.onListenerError(error, item);
      }
    }
  }

  /** Calls `listener` for every item; returns the unsubscribe function. */
  subscribe(listener: (item: FeedItem) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
