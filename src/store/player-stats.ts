import type { StoreContext } from './context.js';
import type { Totals as RowTotals } from '../../parsers/index.js';
import type { StatDoc } from './documents.js';
import { keyOfField } from './map-keys.js';
import { addSegment } from './pair-segment.js';
import { playerIdsByNumber } from './player-numbers.js';
import { kindFor, playerNames, scopeMatch, type StatsScope } from './stats-queries.js';

/** Row totals by the counting rules, with the time span they cover (UTC ms, null before any event). */
export interface Totals extends RowTotals {
  firstTime: number | null;
  lastTime: number | null;
}

/** The figures every view of a player shows. `bestStreak` is for all time only (null in a period). */
export interface PlayerFigures {
  playerId: string;
  name: string;
  kills: number;
  deaths: number;
  suicides: number;
  kd: number;
  longestKill: number;
  bestStreak: number | null;
}

/** One player's figures within a scope, with nemesis and prey. `streak` is for all time only. */
export interface PlayerStats extends PlayerFigures {
  streak: number | null;
  weapons: { weapon: string; kills: number }[];
  /** Who killed this player most, and whom this player killed most. */
  nemesis: { playerId: string; name: string; kills: number } | null;
  prey: { playerId: string; name: string; kills: number } | null;
}

/**
 * A player's stats across the guild's servers (or one), null when the player has no figures in the
 * scope. Reads the player's own documents only (index `guild_kind_player`): the all-time ones, or the
 * day ones of the period; killer-victim counts are kept per day, so all-time nemesis and prey add up
 * the segments of the player's day documents.
 */
export async function playerStats(ctx: StoreContext, guildId: string, playerId: string, scope: StatsScope): Promise<PlayerStats | null> {
  const period = scope.period ?? 'all';
  const { stats } = ctx.collections;
  const figures = { kills: 1, deaths: 1, suicides: 1, longestKill: 1, bestStreak: 1, streak: 1, weapons: 1 };
  const pairs = { pairs: 1, serverId: 1 };
  const own = await stats.find({ ...scopeMatch(guildId, kindFor(period), scope), playerId },
    { projection: period === 'all' ? figures : { ...figures, ...pairs } }).toArray();
  if (own.length === 0) return null;
  const days = period === 'all'
    ? await stats.find({ ...scopeMatch(guildId, 'day', scope), playerId }, { projection: pairs }).toArray()
    : own;
  const sum = (f: (d: StatDoc) => number | undefined): number => own.reduce((n, d) => n + (f(d) ?? 0), 0);
  const best = (f: (d: StatDoc) => number | undefined): number => Math.max(0, ...own.map((d) => f(d) ?? 0));
  const kills = sum((d) => d.kills);
  const deaths = sum((d) => d.deaths);
  const weapons = [...addMaps(own.map((d) => d.weapons))].sort(byCount).map(([weapon, n]) => ({ weapon, kills: n }));
  const { victims, killedBy } = await pairCounts(ctx, guildId, days);
  const [nemesis] = [...killedBy].sort(byCount);
  const [prey] = [...victims].sort(byCount);
  const names = await playerNames(ctx, guildId, [playerId, ...[nemesis, prey].flatMap((p) => (p ? [p[0]] : []))]);
  const named = (p: [string, number] | undefined): PlayerStats['nemesis'] =>
    (p ? { playerId: p[0], name: names.get(p[0]) ?? p[0], kills: p[1] } : null);
  return {
    playerId, name: names.get(playerId) ?? playerId,
    kills, deaths, suicides: sum((d) => d.suicides),
    kd: kills / Math.max(deaths, 1), longestKill: best((d) => d.longestKill),
    bestStreak: period === 'all' ? best((d) => d.bestStreak) : null,
    streak: period === 'all' ? best((d) => d.streak) : null,
    weapons, nemesis: named(nemesis), prey: named(prey),
  };
}

/**
 * Kills on each victim and deaths by each killer, by EOS id, summed over the day documents'
 * segments. Segments name players by their number on each server: one indexed read per server
 * turns the numbers into ids, and a player met on two servers adds up.
 */
export async function pairCounts(ctx: StoreContext, guildId: string, days: readonly StatDoc[]): Promise<{ victims: Map<string, number>; killedBy: Map<string, number> }> {
  const byServer = new Map<string, { victims: Map<number, number>; killers: Map<number, number> }>();
  const victims = new Map<string, number>();
  const killedBy = new Map<string, number>();
  for (const d of days) {
    let counts = byServer.get(d.serverId);
    if (!counts) byServer.set(d.serverId, (counts = { victims: new Map(), killers: new Map() }));
    for (const segment of d.pairs ?? []) addSegment(segment, counts.victims, counts.killers);
  }
  for (const [serverId, counts] of byServer) {
    const ids = await playerIdsByNumber(ctx, { guildId, serverId }, [...new Set([...counts.victims.keys(), ...counts.killers.keys()])]);
    for (const [from, into] of [[counts.victims, victims], [counts.killers, killedBy]] as const) {
      for (const [no, n] of from) {
        const id = ids.get(no);
        if (id !== undefined) into.set(id, (into.get(id) ?? 0) + n);
      }
    }
  }
  return { victims, killedBy };
}

/** Sums the weapon maps of several documents, decoding their field keys. */
function addMaps(maps: readonly (Record<string, number> | undefined)[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) {
    for (const [field, n] of Object.entries(m ?? {})) {
      const key = keyOfField(field);
      out.set(key, (out.get(key) ?? 0) + n);
    }
  }
  return out;
}

/** Most first; ties by name, as the leaderboards break them. */
function byCount(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
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
