import type { StoreContext } from './context.js';
import type { StatDoc } from './documents.js';
import { keyOfField } from './map-keys.js';
import type { PlayerFigures } from './player-stats.js';
import { kindFor, scopeMatch, type StatsScope } from './stats-queries.js';

/**
 * One player's figures in a scope, without nemesis and prey (those need the day documents).
 * Across servers, `bestStreak` is the best of any one server.
 */
export interface PlayerRow extends PlayerFigures {
  /** PvP kills per weapon. */
  weapons: Record<string, number>;
}

/**
 * Every player with figures in the scope, sorted by EOS id: one indexed read of the per-player
 * documents (all time) or per-day documents (a period), folded per player. For exports, the replay
 * tool and full listings; leaderboards use the aggregation pipelines instead.
 */
export async function playerList(ctx: StoreContext, guildId: string, scope: StatsScope): Promise<PlayerRow[]> {
  const period = scope.period ?? 'all';
  const cursor = ctx.collections.stats.find(scopeMatch(guildId, kindFor(period), scope), {
    projection: { playerId: 1, name: 1, lastSeen: 1, kills: 1, deaths: 1, suicides: 1, longestKill: 1, bestStreak: 1, weapons: 1 },
    // In EOS id order (index guild_kind_player), so a player's documents come together and each
    // row is finished as soon as the next player's arrive: no pass over all rows at the end.
    sort: { playerId: 1 },
    // A reply's documents are decoded and folded in one synchronous step: a hundred at a time keep
    // it short (a big server's players in one reply blocked the event loop; figures in the README).
    batchSize: 100,
  });
  const out: PlayerRow[] = [];
  let row = null as OpenRow | null;
  for await (const d of cursor as AsyncIterable<StatDoc>) {
    if (!d.playerId) continue;
    if (row?.playerId !== d.playerId) {
      if (row) out.push(finish(row));
      row = { playerId: d.playerId, name: '', lastSeen: -Infinity, kills: 0, deaths: 0, suicides: 0, kd: 0, longestKill: 0, bestStreak: period === 'all' ? 0 : null, weapons: new Map<string, number>() };
    }
    // The display name is the latest one seen, whichever server saw it.
    if (d.name && (d.lastSeen ?? 0) >= row.lastSeen) {
      row.name = d.name;
      row.lastSeen = d.lastSeen ?? 0;
    }
    row.kills += d.kills ?? 0;
    row.deaths += d.deaths ?? 0;
    row.suicides += d.suicides ?? 0;
    row.longestKill = Math.max(row.longestKill, d.longestKill ?? 0);
    if (row.bestStreak !== null) row.bestStreak = Math.max(row.bestStreak, d.bestStreak ?? 0);
    for (const [field, n] of Object.entries(d.weapons ?? {})) {
      const weapon = keyOfField(field);
      row.weapons.set(weapon, (row.weapons.get(weapon) ?? 0) + n);
    }
  }
  if (row) out.push(finish(row));
  return out;
}

type OpenRow = Omit<PlayerRow, 'weapons'> & { lastSeen: number; weapons: Map<string, number> };

function finish({ lastSeen: _seen, weapons, ...row }: OpenRow): PlayerRow {
  return {
    ...row, name: row.name || row.playerId, kd: row.kills / Math.max(row.deaths, 1),
    // fromEntries defines own properties: a weapon named `__proto__` stays a weapon.
    weapons: Object.fromEntries([...weapons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
