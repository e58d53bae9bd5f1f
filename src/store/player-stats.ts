import type { StoreContext } from './context.js';
import type { Totals as RowTotals } from '../../parsers/index.js';
import type { StatDoc } from './documents.js';
import { kindsFor, playerNames, scopeMatch, type StatsScope } from './stats-queries.js';

/** Row totals by the counting rules, with the time span they cover (UTC ms, null before any event). */
export interface Totals extends RowTotals {
  firstTime: number | null;
  lastTime: number | null;
}

/** One player's figures within a scope. `bestStreak` and `streak` are for all time only (null in a period). */
export interface PlayerStats {
  playerId: string;
  name: string;
  kills: number;
  deaths: number;
  suicides: number;
  kd: number;
  longestKill: number;
  bestStreak: number | null;
  streak: number | null;
  weapons: { weapon: string; kills: number }[];
  /** Who killed this player most, and whom this player killed most. */
  nemesis: { playerId: string; name: string; kills: number } | null;
  prey: { playerId: string; name: string; kills: number } | null;
}

/** A player's stats across the guild's servers (or one), null when the player has no figures in the scope. */
export async function playerStats(ctx: StoreContext, guildId: string, playerId: string, scope: StatsScope): Promise<PlayerStats | null> {
  const period = scope.period ?? 'all';
  const kinds = kindsFor(period);
  const { stats } = ctx.collections;
  const [own] = await stats.aggregate<StatDoc & { kills: number; deaths: number; suicides: number }>([
    { $match: { ...scopeMatch(guildId, kinds.player, scope), playerId } },
    { $group: {
      _id: '$playerId', kills: { $sum: '$kills' }, deaths: { $sum: '$deaths' }, suicides: { $sum: '$suicides' },
      longestKill: { $max: '$longestKill' }, bestStreak: { $max: '$bestStreak' }, streak: { $max: '$streak' },
    } },
  ]).toArray();
  if (!own) return null;
  const weapons = await stats.aggregate<{ _id: string; kills: number }>([
    { $match: { ...scopeMatch(guildId, kinds.weapon, scope), playerId } },
    { $group: { _id: '$weapon', kills: { $sum: '$kills' } } },
    { $sort: { kills: -1, _id: 1 } },
  ]).toArray();
  const [nemesis, prey] = await Promise.all([
    topPair(ctx, guildId, kinds.pair, scope, { victimId: playerId }, '$killerId'),
    topPair(ctx, guildId, kinds.pair, scope, { killerId: playerId }, '$victimId'),
  ]);
  const names = await playerNames(ctx, guildId, [playerId, ...[nemesis, prey].flatMap((p) => (p ? [p._id] : []))]);
  const named = (p: { _id: string; kills: number } | undefined): PlayerStats['nemesis'] =>
    (p ? { playerId: p._id, name: names.get(p._id) ?? p._id, kills: p.kills } : null);
  return {
    playerId, name: names.get(playerId) ?? playerId,
    kills: own.kills, deaths: own.deaths, suicides: own.suicides,
    kd: own.kills / Math.max(own.deaths, 1), longestKill: own.longestKill ?? 0,
    bestStreak: period === 'all' ? (own.bestStreak ?? 0) : null,
    streak: period === 'all' ? (own.streak ?? 0) : null,
    weapons: weapons.map((w) => ({ weapon: w._id, kills: w.kills })),
    nemesis: named(nemesis), prey: named(prey),
  };
}

async function topPair(ctx: StoreContext, guildId: string, k: StatDoc['k'], scope: StatsScope,
  side: Record<string, string>, other: string): Promise<{ _id: string; kills: number } | undefined> {
  const [top] = await ctx.collections.stats.aggregate<{ _id: string; kills: number }>([
    { $match: { ...scopeMatch(guildId, k, scope), ...side } },
    { $group: { _id: other, kills: { $sum: '$kills' } } },
    { $sort: { kills: -1, _id: 1 } },
    { $limit: 1 },
  ]).toArray();
  return top;
}

/** Row counts by kind over the guild's servers (or one), all time. */
export async function serverTotals(ctx: StoreContext, guildId: string, serverId?: string): Promise<Totals> {
  const match: Record<string, string> = { guildId, k: 'totals' };
  if (serverId !== undefined) match.serverId = serverId;
  const [t] = await ctx.collections.stats.aggregate<Totals>([
    { $match: match },
    { $group: {
      _id: null, rows: { $sum: '$rows' }, kills: { $sum: '$kills' }, environment: { $sum: '$environment' },
      suicides: { $sum: '$suicides' }, relocations: { $sum: '$relocations' }, falls: { $sum: '$falls' },
      malformed: { $sum: '$malformed' }, firstTime: { $min: '$firstTime' }, lastTime: { $max: '$lastTime' },
    } },
    { $project: { _id: 0 } },
  ]).toArray();
  return t ?? { rows: 0, kills: 0, environment: 0, suicides: 0, relocations: 0, falls: 0, malformed: 0, firstTime: null, lastTime: null };
}
