import { crc32 } from 'node:zlib';
import { Binary } from 'mongodb';
import type { BatchTally } from './batch-tally.js';
import type { StoreContext } from './context.js';
import type { PendingDoc, ServerKey } from './documents.js';
import { PendingUnreadableError } from './errors.js';
import { decodeTally } from './tally-codec.js';

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
 * returns what the record itself carries: the body or its part count, and the body's length and
 * CRC-32, so that a part cut short or damaged is noticed before anything is counted from it. Parts
 * are upserts by `_id`, so a retry or a batch recorded again after a crash overwrites them; parts
 * beyond a record's count are never read.
 */
export async function storePendingBody(ctx: StoreContext, key: ServerKey, seq: number, body: Uint8Array, partBytes = PART_BYTES): Promise<Pick<PendingDoc, 'body' | 'parts' | 'bytes' | 'crc32'>> {
  const check = { bytes: body.length, crc32: crc32(body) };
  if (body.length <= partBytes) return { body: new Binary(body), ...check };
  const parts = Math.ceil(body.length / partBytes);
  for (let i = 0; i < parts; i += 1) {
    await ctx.collections.pendingParts.replaceOne(
      { _id: `${key.serverId}:${seq}:${i}` },
      { guildId: key.guildId, serverId: key.serverId, seq, i, bytes: new Binary(body.subarray(i * partBytes, (i + 1) * partBytes)) },
      { upsert: true, writeConcern: { w: 'majority' } },
    );
  }
  return { parts, ...check };
}

/**
 * The figures of a pending record, read back from its parts when it has them. A body that is not
 * the one recorded (a part gone, cut short or damaged) throws {@link PendingUnreadableError}, never
 * figures: that server stops with a plain message, nothing is counted from it.
 */
export async function readPendingTally(ctx: StoreContext, key: ServerKey, pending: PendingDoc): Promise<BatchTally> {
  const unreadable = (what: string): PendingUnreadableError => new PendingUnreadableError(
    `Batch ${pending.seq} of game server ${key.serverId} was left half-written and ${what} `
    + '(was the pending_parts collection cleared?): rebuild the server\'s history from its files.');
  const body = pending.parts === undefined ? pending.body?.value() : await readParts(ctx, key, pending.seq, pending.parts);
  if (typeof body === 'number') throw unreadable(`${body} of its ${pending.parts} parts are gone or damaged`);
  if (body === undefined || body.length !== pending.bytes || crc32(body) !== pending.crc32) throw unreadable('its recorded figures are damaged');
  try {
    return decodeTally(body);
  } catch {
    throw unreadable('its recorded figures are damaged');
  }
}

/** The parts of batch `seq` joined, or how many of them are missing. */
async function readParts(ctx: StoreContext, key: ServerKey, seq: number, count: number): Promise<Uint8Array | number> {
  const found = await ctx.collections.pendingParts
    .find({ guildId: key.guildId, serverId: key.serverId, seq, i: { $lt: count } })
    .sort({ i: 1 })
    // A few parts per reply: each reply is decoded in one synchronous step.
    .batchSize(2)
    .toArray();
  const byIndex = new Map(found.map((p) => [p.i, p.bytes]));
  const pieces = Array.from({ length: count }, (_, i) => byIndex.get(i)).filter((b) => b instanceof Binary).map((b) => b.value());
  return pieces.length === count ? Buffer.concat(pieces) : count - pieces.length;
}

/**
 * Deletes the server's parts up to batch `seq` (after step 3: a batch's parts, and any left by an
 * earlier attempt at it or before it, are done with), or all of them when no batch is pending.
 */
export async function dropPendingParts(ctx: StoreContext, key: ServerKey, seq = Infinity): Promise<void> {
  await ctx.collections.pendingParts.deleteMany({ guildId: key.guildId, serverId: key.serverId, seq: { $lte: seq } });
}
