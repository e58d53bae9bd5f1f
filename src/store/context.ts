import type { Collection, Db, MongoClient } from 'mongodb';
import type { Logger } from '../logging/logger.js';
import type { GuildDoc, IngestDoc, LinkDoc, OnlineDoc, PendingPartDoc, ServerDoc, StatDoc } from './documents.js';
import type { HistoryMarkDoc } from './history-marks.js';
import type { OutboxDoc } from './outbox.js';
import type { SecretsKey } from './secrets.js';

/** The collections, by purpose. Only code inside src/store sees these; everything else goes through a guild scope. */
export interface StoreCollections {
  guilds: Collection<GuildDoc>;
  servers: Collection<ServerDoc>;
  ingest: Collection<IngestDoc>;
  pendingParts: Collection<PendingPartDoc>;
  stats: Collection<StatDoc>;
  links: Collection<LinkDoc>;
  online: Collection<OnlineDoc>;
  historyMarks: Collection<HistoryMarkDoc>;
  outbox: Collection<OutboxDoc>;
}

/** What the repositories share: never handed outside src/store. */
export interface StoreContext {
  client: MongoClient;
  db: Db;
  collections: StoreCollections;
  secretsKey: SecretsKey;
  logger: Logger;
}

export function collectionsOf(db: Db): StoreCollections {
  return {
    guilds: db.collection<GuildDoc>('guilds'),
    servers: db.collection<ServerDoc>('servers'),
    ingest: db.collection<IngestDoc>('ingest_state'),
    pendingParts: db.collection<PendingPartDoc>('pending_parts'),
    stats: db.collection<StatDoc>('stats'),
    links: db.collection<LinkDoc>('account_links'),
    online: db.collection<OnlineDoc>('online_players'),
    historyMarks: db.collection<HistoryMarkDoc>('history_runs'),
    outbox: db.collection<OutboxDoc>('outbox'),
  };
}

/**
 * Index definitions, created at start-up. createIndexes is idempotent for identical definitions,
 * so running it on every start is safe. Unique where identity demands it: a server name per guild,
 * an EOS id linked once per guild (stats and ingest state are unique by `_id`). Stats carry three
 * secondary indexes (and a partial one on player numbers) only: every index is paid for on each of a history run's inserts.
 */
export async function ensureIndexes(c: StoreCollections): Promise<void> {
  await c.servers.createIndexes([
    { key: { guildId: 1, nameKey: 1 }, name: 'guild_server_name', unique: true },
  ]);
  await c.stats.createIndexes([
    { key: { guildId: 1, k: 1, playerId: 1 }, name: 'guild_kind_player' },
    { key: { guildId: 1, k: 1, day: 1 }, name: 'guild_kind_day' },
    { key: { guildId: 1, serverId: 1 }, name: 'guild_server' },
    // Only player documents carry a number (readers resolve killer-victim segments through it): a
    // partial index, so the day documents a history run inserts by the thousand do not pay for it.
    { key: { guildId: 1, serverId: 1, no: 1 }, name: 'guild_server_player_no', partialFilterExpression: { k: 'player' } },
    // Autocomplete of player names (player-search.ts): player documents only, like the one above.
    { key: { guildId: 1, k: 1, name: 1, playerId: 1 }, name: 'guild_player_name', partialFilterExpression: { k: 'player' } },
  ]);
  await c.ingest.createIndexes([{ key: { guildId: 1 }, name: 'guild' }]);
  await c.pendingParts.createIndexes([{ key: { guildId: 1, serverId: 1, seq: 1, i: 1 }, name: 'guild_server_seq_part' }]);
  await c.links.createIndexes([{ key: { guildId: 1, eosId: 1 }, name: 'guild_eos', unique: true }]);
  await c.online.createIndexes([{ key: { guildId: 1 }, name: 'guild' }]);
}
