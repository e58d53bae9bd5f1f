import type { BatchTally } from './batch-tally.js';
import type { StoreContext } from './context.js';
import type { ServerKey } from './documents.js';
import { statId } from './stats-ops.js';

/**
 * Reads the stored current streak of every player whose streak join needs it (a kill before the
 * player's first death in the batch: best = max(best, stored + lead)), into `baseStreak`.
 *
 * Why read instead of letting the database join it: with the stored streak known, a player's update
 * is plain `$inc`/`$max`/`$set` operators instead of an update pipeline with an `$add`/`$ifNull`
 * expression per field (weapons included), about three times the bytes and the work on both ends of
 * the wire. Safe because one writer
 * commits a server's batches one after another: nothing changes the streaks between this read and
 * the batch's record, and the record keeps the bases, so finishing it after a crash writes the same.
 * Call it only while no batch of the server is pending.
 */
export async function readStreakBases(ctx: StoreContext, key: ServerKey, t: BatchTally): Promise<void> {
  const need = [...t.players.values()].filter((p) => p.baseStreak === undefined && p.streak.lead > 0);
  if (need.length === 0) return;
  const ids = need.map((p) => statId(key.serverId, 'player', p.id));
  const docs = await ctx.collections.stats
    .find({ _id: { $in: ids }, guildId: key.guildId }, { projection: { streak: 1 }, batchSize: ids.length })
    .toArray();
  const stored = new Map(docs.map((d) => [d._id, typeof d.streak === 'number' ? d.streak : 0]));
  need.forEach((p, i) => { p.baseStreak = stored.get(ids[i] as string) ?? 0; });
}
