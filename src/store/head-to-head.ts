import type { StoreContext } from './context.js';
import { pairCounts } from './player-stats.js';
import { scopeMatch, type StatsScope } from './stats-queries.js';

/** How often two players killed each other within a scope (PvP kills only, by the counting rules). */
export interface HeadToHead {
  /** Times `a` killed `b`. */
  aKilledB: number;
  /** Times `b` killed `a`. */
  bKilledA: number;
}

/**
 * Head-to-head kills of two players, from `a`'s own day documents: their killer-victim segments hold
 * both whom `a` killed and who killed `a`, so one indexed read (`guild_kind_player`) answers both ways.
 * The same player twice is 0 both ways: a player killing themself is a suicide, never a kill.
 */
export async function headToHead(ctx: StoreContext, guildId: string, a: string, b: string, scope: StatsScope): Promise<HeadToHead> {
  if (a === b) return { aKilledB: 0, bKilledA: 0 };
  const days = await ctx.collections.stats.find({ ...scopeMatch(guildId, 'day', scope), playerId: a },
    { projection: { pairs: 1, serverId: 1 } }).toArray();
  const { victims, killedBy } = await pairCounts(ctx, guildId, days);
  return { aKilledB: victims.get(b) ?? 0, bKilledA: killedBy.get(b) ?? 0 };
}
