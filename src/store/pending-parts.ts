import { Binary } from 'mongodb';
import type { StoreContext } from './context.js';
import type { PendingDoc, ServerKey } from './documents.js';
import { PendingUnreadableError } from './errors.js';

/**
 * A pending record's body bigger than this goes out in parts of this size, one write each, before
 * the small record that names them. The driver serializes a write in one synchronous step on the
 * main thread: a history batch's body of a few MB in one piece was the longest step left in a
 * history run; smaller parts cost round trips (see the README for the measured figures). Ticks'
 * records stay whole.
 */
export const PART_BYTES = 512 * 1024;

/**
 * Step 1a: writes the body of batch `seq` as parts when it is big (see {@link PART_BYTES}), and
 * returns what the record itself carries. Parts are upserts by `_id`, so a retry or a batch
 * recorded again after a crash overwrites them; parts beyond a record's count are never read.
 */
export async function storePendingBody(ctx: StoreContext, key: ServerKey, seq: number, body: Uint8Array, partBytes = PART_BYTES): Promise<Pick<PendingDoc, 'body' | 'parts'>> {
  if (body.length <= partBytes) return { body: new Binary(body) };
  const parts = Math.ceil(body.length / partBytes);
  for (let i = 0; i < parts; i += 1) {
    await ctx.collections.pendingParts.replaceOne(
      { _id: `${key.serverId}:${seq}:${i}` },
      { guildId: key.guildId, serverId: key.serverId, seq, i, bytes: new Binary(body.subarray(i * partBytes, (i + 1) * partBytes)) },
      { upsert: true, writeConcern: { w: 'majority' } },
    );
  }
  return { parts };
}

/** The body of a pending record, read back from its parts when it has them. */
export async function readPendingBody(ctx: StoreContext, key: ServerKey, pending: PendingDoc): Promise<Uint8Array> {
  if (pending.parts === undefined) return pending.body?.value() ?? new Uint8Array(0);
  const count = pending.parts;
  const found = await ctx.collections.pendingParts
    .find({ guildId: key.guildId, serverId: key.serverId, seq: pending.seq, i: { $lt: count } })
    .sort({ i: 1 })
    // A few parts per reply: each reply is decoded in one synchronous step.
    .batchSize(2)
    .toArray();
  const byIndex = new Map(found.map((p) => [p.i, p.bytes]));
  const pieces = Array.from({ length: count }, (_, i) => byIndex.get(i)).filter((b) => b instanceof Binary).map((b) => b.value());
  if (pieces.length !== count) {
    throw new PendingUnreadableError(`Batch ${pending.seq} of game server ${key.serverId} was left half-written and ${count - pieces.length} of its ${count} parts are gone or damaged `
      + '(was the pending_parts collection cleared?): rebuild the server\'s history from its files.');
  }
  return Buffer.concat(pieces);
}

/** After step 3: a batch's parts, and any left by an earlier attempt at it or before it, are done with. */
export async function dropPendingParts(ctx: StoreContext, key: ServerKey, seq: number): Promise<void> {
  await ctx.collections.pendingParts.deleteMany({ guildId: key.guildId, serverId: key.serverId, seq: { $lte: seq } });
}
