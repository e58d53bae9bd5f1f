/** The MongoDB store: guild-scoped repositories, the exactly-once ingest writer, encrypted credentials. */
export { openStore, type Store, type StoreOptions } from './store.js';
export type { GuildStore, StatsRepo, IngestRepo } from './guild-store.js';
export type { GameServer, NewGameServer, GameServerPatch, ServersRepo } from './servers.js';
export type { AccountLink, LinksRepo } from './links.js';
export type { OnlinePlayer, OnlineRepo } from './online.js';
export type { GuildConfig, SettingsRepo, SettingValue } from './settings.js';
export type { LeaderboardQuery, LeaderboardRow, Metric, StatsScope } from './stats-queries.js';
export type { PlayerStats, Totals } from './player-stats.js';
export type { PlayerRow } from './player-list.js';
export type { Period } from './periods.js';
export { createIngestWriter, type IngestWriter, type IngestWriterOptions, type IngestWork } from './ingest-writer.js';
export type { FileCursor, IngestTarget, RecentEvent } from './ingest-target.js';
export { toRecentEvents } from './recent-events.js';
export { SftpCredentials } from './credentials.js';
export { parseSecretsKey, type SecretsKey } from './secrets.js';
export { StoreInputError, IngestConflictError } from './errors.js';
export type { RetryOptions } from './retry.js';
