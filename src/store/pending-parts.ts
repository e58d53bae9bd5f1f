import { Binary } from 'mongodb';
import type { StoreContext } from './context.js';
import type { PendingDoc, PendingPartDoc } from './documents.js';
import { PendingUnreadableError } from './errors.js';
import type { ServerKey } from './ingest-state.js';
import type { EncodedBatch } from './tally-codec.js';

/**
 * A pending record bigger than this goes out in parts of this size, one write each, before the
 * small record that names them. The driver serializes a write in one synchronous step on the main
 * thread: a history batch's record of about 4 MB took 10-30 ms to send in one piece (the longest
 * step left in a history run), a 512 KiB part 1-2 ms. Bigger parts would each block longer,
 * smaller ones cost round trips (256 KiB took the store bench to 3.0 per 10k rows, its limit).
 * Ticks' records stay whole.
 */
export const PART_BYTES = 512 * 1024;

/** What a pending record holds of its batch's figures: the text and bytes whole, or how many parts each went into. */
export type PendingBody = Pick<PendingDoc, 'stats' | 'pairs' | 'parts'>;

/**
 * Step 1a: writes the figures of batch `seq` as parts when they are big (see {@link PART_BYTES}),
 * and returns what the record itself carries. Parts are upserts by `_id`, so a retry or a batch
 * recorded again after a crash overwrites them; parts beyond a record's count are never read.
 */
export async function storePendingBody(ctx: StoreContext, key: ServerKey, seq: number, body: EncodedBatch, partBytes = PART_BYTES): Promise<PendingBody> {
  if (body.stats.length + body.pairs.length <= partBytes) return { stats: body.stats, pairs: new Binary(body.pairs) };
  const texts = textPieces(body.stats, partBytes);
  const text = texts.length;
  const bytes = Math.ceil(body.pairs.length / partBytes);
  for (let i = 0; i < text + bytes; i += 1) {
    const piece = i < text
      ? { text: texts[i] ?? '' }
      : { bytes: new Binary(body.pairs.subarray((i - text) * partBytes, (i - text + 1) * partBytes)) };
    await ctx.collections.pendingParts.replaceOne(
      { _id: partId(key, seq, i) },
      { guildId: key.guildId, serverId: key.serverId, seq, i, ...piece },
      { upsert: true, writeConcern: { w: 'majority' } },
    );
  }
  // `stats` for versions before parts, which read it: a format they do not know stops only this server there.
  return { stats: '{"v":4}', parts: { text, bytes } };
}

/** The figures of a pending record, read back from its parts when it has them. */
export async function readPendingBody(ctx: StoreContext, key: ServerKey, pending: PendingDoc): Promise<EncodedBatch> {
  if (!pending.parts) return { stats: pending.stats ?? '', pairs: pending.pairs?.value() ?? new Uint8Array(0) };
  const { text, bytes } = pending.parts;
  const count = text + bytes;
  const found = await ctx.collections.pendingParts
    .find({ guildId: key.guildId, serverId: key.serverId, seq: pending.seq, i: { $lt: count } })
    .sort({ i: 1 })
    // A few parts per reply: each reply is decoded in one synchronous step.
    .batchSize(2)
    .toArray();
  // Each part at its place and of its kind (text first, then bytes).
  const byIndex = new Map(found.map((p) => [p.i, p]));
  const parts = Array.from({ length: count }, (_, i) => byIndex.get(i)).filter((p): p is PendingPartDoc => p !== undefined && (p.i < text ? typeof p.text === 'string' : p.bytes !== undefined));
  if (parts.length !== count) {
    throw new PendingUnreadableError(`Batch ${pending.seq} of game server ${key.serverId} was left half-written and ${count - parts.length} of its ${count} parts are gone or damaged `
      + '(was the pending_parts collection cleared?): rebuild the server\'s history from its files.');
  }
  const pairs = new Uint8Array(parts.reduce((n, p) => n + (p.bytes?.length() ?? 0), 0));
  let at = 0;
  for (const p of parts.slice(text)) {
    const piece = p.bytes?.value() ?? new Uint8Array(0);
    pairs.set(piece, at);
    at += piece.length;
  }
  return { stats: parts.slice(0, text).map((p) => p.text ?? '').join(''), pairs };
}

/** After step 3: a batch's parts, and any left by an earlier attempt at it or before it, are done with. */
export async function dropPendingParts(ctx: StoreContext, key: ServerKey, seq: number): Promise<void> {
  await ctx.collections.pendingParts.deleteMany({ guildId: key.guildId, serverId: key.serverId, seq: { $lte: seq } });
}

/**
 * The text cut into pieces of at most `size` UTF-16 units, never between the two halves of a
 * surrogate pair (an emoji in a player's name): a lone half is not valid UTF-8, and BSON would store
 * it as U+FFFD, so the name read back would differ.
 */
export function textPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length;) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - 1 > at && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}

function partId(key: ServerKey, seq: number, i: number): string {
  return `${key.serverId}:${seq}:${i}`;
}
