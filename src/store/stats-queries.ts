import type { Document } from 'mongodb';
import type { StoreContext } from './context.js';
import type { StatKind } from './documents.js';
import { StoreInputError } from './errors.js';
import { fieldKey, keyOfField } from './map-keys.js';
import { periodStart, type Period } from './periods.js';
import { createSeasonsRepo, seasonMatch, type SeasonRange } from './seasons.js';

export type Metric = 'kills' | 'deaths' | 'kd' | 'longestKill' | 'bestStreak' | 'currentStreak' | 'weaponKills';

/** A leaderboard's period: a {@link Period}, or the server's current or previous season (seasons.ts). */
export type BoardPeriod = Period | 'season' | 'previous-season';

/** Which slice of a guild's stats: one server or all of the guild's servers; all time or a period. */
export interface StatsScope {
  serverId?: string;
  /** `season`: the season running on each server, given as `seasonRanges` (`guild.seasons.ranges('current', now)`). */
  period?: Period | 'season';
  /** With the `season` period: the day-document ranges that count (none: nothing counts). */
  seasonRanges?: readonly SeasonRange[];
  /** The clock, for periods (UTC ms); now by default. */
  now?: number;
}

export interface LeaderboardQuery extends Omit<StatsScope, 'period'> {
  period?: BoardPeriod;
  metric: Metric;
  /** Required for `weaponKills`. */
  weapon?: string;
  /** 1 to 50; 10 by default. */
  limit?: number;
}

export interface LeaderboardRow {
  rank: number;
  playerId: string;
  name: string;
  value: number;
  kills: number;
  deaths: number;
  kd: number;
  longestKill: number;
}

/** The aggregate kind that answers a scope: all-time documents or per-day documents. */
export function kindFor(period: Period | 'season'): StatKind {
  return period === 'all' ? 'player' : 'day';
}

/** The `$match` of a scope; the guild id is always in it. */
export function scopeMatch(guildId: string, k: StatKind, scope: StatsScope): Document {
  const match: Document = { guildId, k };
  if (scope.serverId !== undefined) match.serverId = scope.serverId;
  if (scope.period === 'season') return { ...match, ...seasonMatch(scope.seasonRanges ?? []) };
  const from = periodStart(scope.period ?? 'all', scope.now ?? Date.now());
  if (from !== null) match.day = { $gte: from };
  return match;
}

/** Metrics only the all-time player documents hold: the per-day documents keep no streaks. */
const ALL_TIME_ONLY: ReadonlySet<Metric> = new Set(['bestStreak', 'currentStreak']);

/** Top players of the guild (or one of its servers) by a metric, by aggregation pipeline. */
export async function leaderboard(ctx: StoreContext, guildId: string, q: LeaderboardQuery): Promise<LeaderboardRow[]> {
  const period = q.period ?? 'all';
  const limit = q.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new StoreInputError('The leaderboard size must be from 1 to 50.');
  if (ALL_TIME_ONLY.has(q.metric) && period !== 'all') {
    throw new StoreInputError('Streaks are kept for all time only; pick the "all" period.');
  }
  const weaponBoard = q.metric === 'weaponKills';
  if (weaponBoard && !q.weapon) throw new StoreInputError('Name the weapon for a weapon leaderboard.');
  const match = await boardMatch(ctx, guildId, period, q);
  // A weapon board counts the weapon's entry in each player's `weapons` map.
  const weaponField = `weapons.${fieldKey(q.weapon ?? '')}`;
  if (weaponBoard) match[weaponField] = { $gt: 0 };
  const field = weaponBoard ? 'kills' : q.metric === 'currentStreak' ? 'streak' : q.metric;
  const rows = await ctx.collections.stats.aggregate<Omit<LeaderboardRow, 'rank' | 'value' | 'name'> & { _id: string; bestStreak?: number; streak?: number }>([
    { $match: match },
    { $group: {
      _id: '$playerId', kills: { $sum: weaponBoard ? `$${weaponField}` : '$kills' }, deaths: { $sum: '$deaths' },
      longestKill: { $max: '$longestKill' }, bestStreak: { $max: '$bestStreak' }, streak: { $max: '$streak' },
    } },
    { $addFields: { kd: { $divide: ['$kills', { $max: ['$deaths', 1] }] } } },
    { $match: { [field]: { $gt: 0 } } },
    { $sort: { [field]: -1, _id: 1 } },
    { $limit: limit },
  ]).toArray();
  const names = await playerNames(ctx, guildId, rows.map((r) => r._id));
  return rows.map((r, i) => ({
    rank: i + 1, playerId: r._id, name: names.get(r._id) ?? r._id,
    value: Number(r[field as keyof typeof r] ?? 0),
    kills: r.kills, deaths: weaponBoard ? 0 : r.deaths, kd: weaponBoard ? 0 : r.kd, longestKill: weaponBoard ? 0 : (r.longestKill ?? 0),
  }));
}

/** The `$match` of a board: a period's days, a season's day keys (per server: each wipes on its own), or all time. */
async function boardMatch(ctx: StoreContext, guildId: string, period: BoardPeriod, q: LeaderboardQuery): Promise<Document> {
  const scope: StatsScope = { ...(q.serverId === undefined ? {} : { serverId: q.serverId }), ...(q.now === undefined ? {} : { now: q.now }) };
  if (period !== 'season' && period !== 'previous-season') return scopeMatch(guildId, kindFor(period), { ...scope, period });
  const seasonRanges = await createSeasonsRepo(ctx, guildId).ranges(period === 'season' ? 'current' : 'previous', q.now ?? Date.now(), q.serverId);
  return scopeMatch(guildId, 'day', { ...scope, period: 'season', seasonRanges });
}

/** Weapons with PvP kills on the guild's servers (or one), most kills first, whose name contains `typed`: for autocomplete. */
export async function weaponsSeen(ctx: StoreContext, guildId: string, typed: string, limit: number, serverId?: string): Promise<{ weapon: string; kills: number }[]> {
  const match: Document = { guildId, k: 'player' };
  if (serverId !== undefined) match.serverId = serverId;
  const rows = await ctx.collections.stats.aggregate<{ _id: string; kills: number }>([
    { $match: match },
    { $project: { w: { $objectToArray: { $ifNull: ['$weapons', {}] } } } },
    { $unwind: '$w' },
    { $group: { _id: '$w.k', kills: { $sum: '$w.v' } } },
    { $sort: { kills: -1, _id: 1 } },
  ]).toArray();
  const needle = typed.trim().toLowerCase();
  return rows.map((r) => ({ weapon: keyOfField(r._id), kills: r.kills }))
    .filter((r) => r.kills > 0 && r.weapon.toLowerCase().includes(needle)).slice(0, limit);
}

/** Latest display name of each player across the guild's servers. */
export async function playerNames(ctx: StoreContext, guildId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const docs = await ctx.collections.stats
    .find({ guildId, k: 'player', playerId: { $in: [...ids] } }, { projection: { playerId: 1, name: 1, lastSeen: 1 } })
    .sort({ lastSeen: 1 }).toArray();
  const names = new Map<string, string>();
  for (const d of docs) if (d.playerId !== undefined && d.name !== undefined) names.set(d.playerId, d.name);
  return names;
}
