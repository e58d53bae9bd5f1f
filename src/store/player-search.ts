import type { StoreContext } from './context.js';

/** A player as autocomplete offers them. */
export interface PlayerMatch {
  playerId: string;
  name: string;
}

/**
 * Players of the guild whose name starts with `typed` (any case), or whose EOS id does, at most
 * `limit`, in name order. Reads only the per-player documents through the partial index
 * `guild_player_name`, with a projection the index covers, and stops at the limit: autocomplete
 * must answer within Discord's 3 s however many players a guild has.
 */
export async function searchPlayers(ctx: StoreContext, guildId: string, typed: string, limit: number): Promise<PlayerMatch[]> {
  const text = typed.trim().slice(0, 64);
  const prefix = new RegExp(`^${escapeRegExp(text)}`, 'i');
  const filter = text === ''
    ? { guildId, k: 'player' as const }
    : /^[0-9a-f]{6,}$/i.test(text)
      ? { guildId, k: 'player' as const, playerId: { $regex: prefix } }
      : { guildId, k: 'player' as const, name: { $regex: prefix } };
  const seen = new Map<string, PlayerMatch>();
  // A player on several servers has a document per server: read a few more than needed.
  const cursor = ctx.collections.stats.find(filter, { projection: { _id: 0, playerId: 1, name: 1 }, sort: { name: 1 }, limit: limit * 4 });
  for await (const doc of cursor) {
    if (!doc.playerId || seen.has(doc.playerId)) continue;
    seen.set(doc.playerId, { playerId: doc.playerId, name: doc.name ?? doc.playerId });
    if (seen.size >= limit) break;
  }
  await cursor.close();
  return [...seen.values()];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
