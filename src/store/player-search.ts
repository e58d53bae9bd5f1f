import type { Filter } from 'mongodb';
import type { StoreContext } from './context.js';
import type { StatDoc } from './documents.js';

/** A player as autocomplete offers them. */
export interface PlayerMatch {
  playerId: string;
  name: string;
}

/**
 * Players of the guild whose name starts with `typed` (any case), then those whose EOS id does when
 * it looks like one, at most `limit`, in name order. Reads only the per-player documents through the
 * partial index `guild_player_name` and stops at the limit: autocomplete must answer within
 * Discord's 3 s however many players a guild has.
 */
export async function searchPlayers(ctx: StoreContext, guildId: string, typed: string, limit: number): Promise<PlayerMatch[]> {
  const text = typed.trim().slice(0, 64);
  const prefix = new RegExp(`^${escapeRegExp(text)}`, 'i');
  const found = new Map<string, PlayerMatch>();
  await collect(ctx, text === '' ? { guildId, k: 'player' } : { guildId, k: 'player', name: { $regex: prefix } }, limit, found);
  // A name like "Dad123" is hex too: EOS ids are only searched after names, for what room is left.
  if (found.size < limit && /^[0-9a-f]{6,}$/i.test(text)) await collect(ctx, { guildId, k: 'player', playerId: { $regex: prefix } }, limit, found);
  return [...found.values()];
}

async function collect(ctx: StoreContext, filter: Filter<StatDoc>, limit: number, found: Map<string, PlayerMatch>): Promise<void> {
  // A player on several servers has a document per server: read a few more than needed.
  const cursor = ctx.collections.stats.find(filter, { projection: { _id: 0, playerId: 1, name: 1 }, sort: { name: 1 }, limit: limit * 4 });
  for await (const doc of cursor) {
    if (doc.playerId && !found.has(doc.playerId)) found.set(doc.playerId, { playerId: doc.playerId, name: doc.name ?? doc.playerId });
    if (found.size >= limit) break;
  }
  await cursor.close();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
