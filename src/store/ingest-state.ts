import { MongoBulkWriteError, type AnyBulkWriteOperation } from 'mongodb';
import type { StoreContext } from './context.js';
import type { CursorDoc, IngestDoc, PendingDoc, RecentEventDoc, ServerKey, StatDoc } from './documents.js';
import { IngestConflictError } from './errors.js';
import type { BatchTally } from './batch-tally.js';
import { statsOpChunks } from './stats-ops.js';
import { dropPendingParts, readPendingTally } from './pending-parts.js';
import { isDuplicateKey } from './validate.js';

/**
 * Exactly-once without transactions. One flush for one game server is one batch with
 * `seq = last + 1`, written in three steps:
 *  1. record: the batch (its stats delta as one encoded body, tally-codec.ts, bounded in size by
 *     the writer's `maxBatchBytes`; the cursors and recent events it leads to) is stored as `pending`
 *     on the server's ingest-state document, guarded by `seq: last`; a big batch's body is written
 *     first, in parts the record then names (pending-parts.ts);
 *  2. apply: unordered bulkWrites of upserts (one per player and per player-day touched, see
 *     stats-ops.ts); each filter says `appliedSeq < seq` and each update
 *     sets `appliedSeq: seq`, so a document that already has the batch no longer matches and its
 *     upsert hits E11000 on `_id`, which here means "already applied";
 *  3. advance: cursors, recent events, `seq` and the highest player number handed out are set and
 *     `pending` removed in one update; then the batch's parts are deleted.
 * A crash before 1 loses nothing durable (the cursors still point before the rows, which are read
 * again); a crash after 1 leaves `pending`, which is applied again before anything else (step 2 is
 * idempotent per document, step 3 is guarded by `pending.seq`). Cursors move only in step 3, after
 * the data they cover is durable, so nothing is lost and nothing counts twice.
 */
export interface IngestState {
  seq: number;
  cursors: CursorDoc[];
  recent: RecentEventDoc[];
  pending: PendingDoc | null;
  /** The highest player number ever handed out on the server (0 for none). */
  lastPlayerNo: number;
}

/** Reads a server's ingest state (a fresh server has seq 0 and no cursors). */
export async function loadState(ctx: StoreContext, key: ServerKey): Promise<IngestState> {
  const doc = await ctx.collections.ingest.findOne({ _id: key.serverId, guildId: key.guildId });
  return doc
    ? { seq: doc.seq, cursors: doc.cursors, recent: doc.recent, pending: doc.pending ?? null, lastPlayerNo: doc.lastPlayerNo ?? 0 }
    : { seq: 0, cursors: [], recent: [], pending: null, lastPlayerNo: 0 };
}

/** Step 1. Upserts for the first batch; E11000 or no match means another writer moved the state. */
export async function recordPending(ctx: StoreContext, key: ServerKey, pending: PendingDoc): Promise<void> {
  try {
    const result = await ctx.collections.ingest.updateOne(
      { _id: key.serverId, guildId: key.guildId, seq: pending.seq - 1 },
      { $set: { pending }, $setOnInsert: { cursors: [], recent: [] } },
      { upsert: true, writeConcern: { w: 'majority' } },
    );
    if (result.matchedCount === 0 && result.upsertedCount === 0) throw conflict(key);
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(key);
    throw error;
  }
}

/**
 * Step 2, in several bulkWrite calls when the batch is large (see {@link statsOpChunks}): each
 * update is guarded on its own, so a crash between calls leaves nothing a retry counts twice.
 * Duplicate-key errors are batches already applied to those documents; anything else is thrown.
 * `tally` is the batch's figures when the caller still holds them (saves reading and decoding them).
 * Returns the figures applied.
 */
export async function applyPending(ctx: StoreContext, key: ServerKey, pending: PendingDoc, tally?: BatchTally): Promise<BatchTally> {
  const figures = tally ?? await readPendingTally(ctx, key, pending);
  for (const ops of statsOpChunks({ ...key, seq: pending.seq }, figures, APPLY_CHUNK)) {
    await applyChunk(ctx, ops);
  }
  return figures;
}

/**
 * What one bulkWrite call carries at most: the driver serializes a call in one synchronous step on
 * the main thread, and the updates stay alive until it answers. Smaller chunks keep that step short
 * (the replay bench's lateness) and cost round trips; src/store/README.md has the measured trade-off.
 */
const APPLY_CHUNK = { ops: 200, bytes: 256 * 1024 };

async function applyChunk(ctx: StoreContext, ops: AnyBulkWriteOperation<StatDoc>[]): Promise<void> {
  try {
    await ctx.collections.stats.bulkWrite(ops, { ordered: false, writeConcern: { w: 'majority' } });
  } catch (error) {
    if (error instanceof MongoBulkWriteError && !error.writeConcernError) {
      const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (errors.length > 0 && errors.every((e) => e.code === 11000)) return;
    }
    throw error;
  }
}

/** Step 3. No match is fine only when the batch was advanced already (a retried call). */
export async function advance(ctx: StoreContext, key: ServerKey, pending: PendingDoc): Promise<void> {
  const { ingest } = ctx.collections;
  const result = await ingest.updateOne(
    { _id: key.serverId, guildId: key.guildId, 'pending.seq': pending.seq },
    { $set: { seq: pending.seq, cursors: pending.cursors, recent: pending.recent }, $max: { lastPlayerNo: pending.lastPlayerNo ?? 0 }, $unset: { pending: '' } },
    { writeConcern: { w: 'majority' } },
  );
  if (result.matchedCount === 0) {
    const doc: IngestDoc | null = await ingest.findOne({ _id: key.serverId, guildId: key.guildId }, { projection: { seq: 1 } });
    if (!doc || doc.seq < pending.seq) throw conflict(key);
  }
  // Parts left behind (a crash right here) are deleted when the server's state is next loaded.
  if (pending.parts) await dropPendingParts(ctx, key, pending.seq);
}

function conflict(key: ServerKey): IngestConflictError {
  return new IngestConflictError(`The ingest state of game server ${key.serverId} changed under this writer: is another bot process ingesting the same server?`);
}
