import type { AnyBulkWriteOperation } from 'mongodb';
import { daySegment, type BatchTally } from './batch-tally.js';
import type { StoreContext } from './context.js';
import type { ServerKey, StatDoc } from './documents.js';
import { addSegment, buildSegment, segmentBinary } from './pair-segment.js';
import { statId } from './stats-ops.js';

/** A day document holding more killer-victim segments than this has them merged into one. */
const MAX_DAY_SEGMENTS = 16;

/**
 * Batches that add segments to more player-days than this are history slices, which crowd no day:
 * a day gets one or two of them per run. Looking after them would send a query naming every
 * player-day of the batch for nothing; a day they leave crowded is merged after the next small
 * batch on it.
 */
const SMALL_BATCH_PLAYER_DAYS = 1_000;

/**
 * After a small batch (a tick) is advanced: merges the segments of the batch's player-days that
 * gained one and now hold more than {@link MAX_DAY_SEGMENTS}. A busy player's day gains one segment
 * per tick (8,640 a day at one tick per 10 s) and every read decodes them all; merged, a day holds
 * a bounded number of segments, of its distinct pairs. One read by `_id` of those player-days only:
 * the rest of the guild's documents are never fetched.
 *
 * Why after the batch, with a read, and not inside the apply step: MongoDB cannot add binary
 * segments up in an update, so merging needs the stored segments; reading them only for the few
 * crowded documents keeps apply blind and cheap. Exactly once still holds: the merged segment adds
 * up to the same counts, and the update is guarded on the `appliedSeq` read with the segments, so
 * it misses a document a later batch changed meanwhile (the next merge takes it). A crash before or
 * after the update leaves the same figures, and a batch applied again after a crash does not match
 * its documents (their `appliedSeq` guard), merged or not.
 */
export async function mergeDaySegments(ctx: StoreContext, key: ServerKey, t: BatchTally): Promise<void> {
  const ids: string[] = [];
  for (const [day, players] of t.days) {
    for (const [playerId, d] of players) if (daySegment(d) !== null) ids.push(statId(key.serverId, 'day', day, playerId));
  }
  if (ids.length === 0 || ids.length > SMALL_BATCH_PLAYER_DAYS) return;
  const { stats } = ctx.collections;
  const crowded = await stats.find(
    { _id: { $in: ids }, guildId: key.guildId, [`pairs.${MAX_DAY_SEGMENTS}`]: { $exists: true } },
    { projection: { pairs: 1, appliedSeq: 1 } },
  ).toArray();
  if (crowded.length === 0) return;
  const ops = crowded.map((d): AnyBulkWriteOperation<StatDoc> => {
    const victims = new Map<number, number>();
    const killers = new Map<number, number>();
    for (const segment of d.pairs ?? []) addSegment(segment, victims, killers);
    const merged = segmentBinary(buildSegment(victims, killers, []));
    return { updateOne: { filter: { _id: d._id, guildId: key.guildId, appliedSeq: d.appliedSeq }, update: { $set: { pairs: [merged] } } } };
  });
  await stats.bulkWrite(ops, { ordered: false, writeConcern: { w: 'majority' } });
}
