import type { IngestWriter, Store } from '../store/index.js';
import type { Feed } from './feed.js';
import type { TickDeps } from './tick.js';

/** Ticks wired to the store and a feed: what the composition root (and the tests' pipeline) use. */
export function storeTickDeps(store: Store, writer: IngestWriter, feed: Pick<Feed, 'publish'>, maxReadBytes = 8 * 1024 * 1024): TickDeps {
  return {
    writer,
    online: {
      load: async (t) => (await store.guild(t.guildId).online.get(t.serverId)).players,
      save: (t, players) => store.guild(t.guildId).online.set(t.serverId, players),
    },
    publish: (item) => feed.publish(item),
    seasonStarts: (t) => store.guild(t.guildId).seasons.starts(t.serverId),
    maxReadBytes,
    now: Date.now,
  };
}
