import type { StoreContext } from './context.js';
import { headToHead, type HeadToHead } from './head-to-head.js';
import { issueTarget, fromCursorDoc, type FileCursor, type IngestTarget, type RecentEvent } from './ingest-target.js';
import { createLinksRepo, type LinksRepo } from './links.js';
import { playerList, type PlayerRow } from './player-list.js';
import { createOnlineRepo, type OnlineRepo } from './online.js';
import { searchPlayers, type PlayerMatch } from './player-search.js';
import { playerStats, serverTotals, type PlayerStats, type Totals } from './player-stats.js';
import { createServersRepo, type ServersRepo } from './servers.js';
import { createSettingsRepo, type SettingsRepo } from './settings.js';
import { createSeasonsRepo, type SeasonsRepo } from './seasons.js';
import { leaderboard, playerNames, weaponsSeen, type LeaderboardQuery, type LeaderboardRow, type StatsScope } from './stats-queries.js';
import { requireSnowflake } from './validate.js';

/** Stats of one guild's servers, from aggregation pipelines over the per-player and per-day documents. */
export interface StatsRepo {
  leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]>;
  /** Weapons with PvP kills whose name contains `typed`, most kills first: for autocomplete. */
  weapons(typed: string, limit: number, serverId?: string): Promise<{ weapon: string; kills: number }[]>;
  /** Every player with figures in the scope, sorted by EOS id. */
  players(scope?: StatsScope): Promise<PlayerRow[]>;
  player(eosId: string, scope?: StatsScope): Promise<PlayerStats | null>;
  /** Latest display name of each of these players who has figures here (one indexed read). */
  names(eosIds: readonly string[]): Promise<Map<string, string>>;
  /** How often `a` killed `b` and `b` killed `a` in the scope (EOS ids). */
  headToHead(a: string, b: string, scope?: StatsScope): Promise<HeadToHead>;
  /** Players whose name (or EOS id) starts with `typed`, at most `limit`: for autocomplete. */
  searchPlayers(typed: string, limit: number): Promise<PlayerMatch[]>;
  totals(serverId?: string): Promise<Totals>;
  /** Newest first, from one server or all of the guild's; optionally only events involving a player. */
  recentEvents(o?: { serverId?: string; playerId?: string; limit?: number }): Promise<RecentEvent[]>;
}

/** What ingestion needs from a guild: a checked target for the writer, and the durable cursors. */
export interface IngestRepo {
  target(serverId: string): Promise<IngestTarget>;

  /** Cursors as durably stored (a pending batch is finished by `IngestWriter.resume`, not here). */
  cursors(serverId: string): Promise<FileCursor[]>;
}

/**
 * Everything one Discord guild may read or change. Each method filters on this guild's id, and
 * nothing in it takes a guild id as an argument, so no call can reach another guild's data.
 */
export interface GuildStore {
  readonly guildId: string;
  readonly settings: SettingsRepo;
  readonly servers: ServersRepo;
  readonly links: LinksRepo;
  readonly online: OnlineRepo;
  readonly stats: StatsRepo;
  readonly ingest: IngestRepo;
  /** Wipes: each starts a season on one game server (seasons.ts). */
  readonly seasons: SeasonsRepo;
}

export function createGuildStore(ctx: StoreContext, guildId: string): GuildStore {
  requireSnowflake(guildId, 'The guild id');
  const { ingest } = ctx.collections;
  return Object.freeze({
    guildId,
    settings: createSettingsRepo(ctx, guildId),
    servers: createServersRepo(ctx, guildId),
    links: createLinksRepo(ctx, guildId),
    online: createOnlineRepo(ctx, guildId),
    stats: {
      leaderboard: (q: LeaderboardQuery) => leaderboard(ctx, guildId, q),
      weapons: (typed: string, limit: number, serverId?: string) => weaponsSeen(ctx, guildId, typed, limit, serverId),
      players: (scope: StatsScope = {}) => playerList(ctx, guildId, scope),
      player: (eosId: string, scope: StatsScope = {}) => playerStats(ctx, guildId, eosId, scope),
      names: (eosIds: readonly string[]) => playerNames(ctx, guildId, eosIds),
      headToHead: (a: string, b: string, scope: StatsScope = {}) => headToHead(ctx, guildId, a, b, scope),
      searchPlayers: (typed: string, limit: number) => searchPlayers(ctx, guildId, typed, limit),
      totals: (serverId?: string) => serverTotals(ctx, guildId, serverId),
      recentEvents: async (o: { serverId?: string; playerId?: string; limit?: number } = {}) => {
        const filter: Record<string, string> = { guildId };
        if (o.serverId !== undefined) filter._id = o.serverId;
        const docs = await ingest.find(filter, { projection: { recent: 1 } }).toArray();
        const involved = (e: RecentEvent): boolean => o.playerId === undefined || e.killerId === o.playerId || e.victimId === o.playerId;
        return docs.flatMap((d) => d.recent).filter(involved)
          .sort((a, b) => b.time - a.time || b.line - a.line).slice(0, o.limit ?? 10);
      },
    },
    seasons: createSeasonsRepo(ctx, guildId),
    ingest: {
      target: (serverId: string) => issueTarget(ctx, guildId, serverId),
      cursors: async (serverId: string) => {
        const doc = await ingest.findOne({ _id: serverId, guildId }, { projection: { cursors: 1 } });
        return (doc?.cursors ?? []).map(fromCursorDoc);
      },
    },
  });
}
