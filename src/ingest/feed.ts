import { EventEmitter } from 'node:events';
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
  readonly #emitter = new EventEmitter();

  publish(item: FeedItem): void {
    this.#emitter.emit('item', item);
  }

  /** Calls `listener` for every item; returns the unsubscribe function. */
  subscribe(listener: (item: FeedItem) => void): () => void {
    this.#emitter.on('item', listener);
    return () => this.#emitter.off('item', listener);
  }
}
