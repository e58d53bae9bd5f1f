import type { Collection } from 'mongodb';
import type { DeathEvent, ServerAnnouncement } from '../../parsers/index.js';
import type { StoreContext } from './context.js';
import type { ServerKey } from './documents.js';
import { contextOf, type Store } from './store.js';
import { isDuplicateKey } from './validate.js';

/** The feeds the outbox carries (the player count is a rename, not a post: it stays in memory). */
export type OutboxPurpose = 'killfeed' | 'connections' | 'events';

/** What one outbox item says. */
export type OutboxItem =
  | { type: 'death'; event: DeathEvent; killerStreak: number | null }
  | { type: 'announcement'; announcement: ServerAnnouncement }
  | { type: 'summary'; deaths: number; announcements: number; since: number };

/** A feed item as a tick hands it to the writer, before the batch gives it a place. */
export type FeedDraft =
  | { purpose: 'killfeed'; serverName: string; event: DeathEvent }
  | { purpose: 'connections' | 'events'; serverName: string; announcement: ServerAnnouncement };

/** A feed item as carried in a pending record: its place is fixed, so finishing the batch again inserts the same. */
export interface OutboxEntry {
  purpose: OutboxPurpose;
  serverName: string;
  item: OutboxItem;
}

/**
 * One feed item waiting to be posted, in `outbox`. `_id` is `serverId:seq:at:i` (a batch's items in
 * file order; `at` because a history run's reset starts `seq` again), so inserting a batch's items
 * again after a crash adds nothing. Items are sorted per
 * channel purpose by `at` (when the batch was recorded), then `seq`, then `i`.
 *
 * Posting is claim, post, confirm: the items of one message get `nonce` before the post; the post
 * carries that nonce with `enforce_nonce`; then `postedAt`. Posted (or dropped, or folded into a
 * summary) items stay as tombstones until their batch is advanced, then the writer deletes them:
 * a tombstone is what stops a batch finished again after a crash from inserting them anew.
 */
export interface OutboxDoc extends OutboxEntry {
  _id: string;
  guildId: string;
  serverId: string;
  seq: number;
  i: number;
  at: number;
  nonce?: string;
  claimedAt?: number;
  postedAt?: number;
  /** How the item left the queue: posted, dropped (its feed stopped or has no channel), folded into a summary. */
  outcome?: 'posted' | 'dropped' | 'folded';
}

export function outboxCollection(ctx: StoreContext): Collection<OutboxDoc> {
  return ctx.collections.outbox;
}

/** The apply step's part: the batch's items, duplicates (an earlier try of this batch) ignored. */
export async function insertOutbox(ctx: StoreContext, key: ServerKey, seq: number, at: number, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const docs: OutboxDoc[] = entries.map((e, i) => ({ _id: `${key.serverId}:${seq}:${at}:${i}`, guildId: key.guildId, serverId: key.serverId, seq, i, at, ...e }));
  try {
    await outboxCollection(ctx).insertMany(docs, { ordered: false, writeConcern: { w: 'majority' } });
  } catch (error) {
    if (!isDuplicateKey(error) && !allDuplicates(error)) throw error;
  }
}

function allDuplicates(error: unknown): boolean {
  const errors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
  return list.length > 0 && list.every((e: { code?: number }) => e.code === 11000);
}

/** After a batch is advanced: its server's tombstones up to it can go (no finish of theirs can come again). */
export async function dropTombstones(ctx: StoreContext, key: ServerKey, seq: number): Promise<void> {
  await outboxCollection(ctx).deleteMany({ guildId: key.guildId, serverId: key.serverId, seq: { $lte: seq }, postedAt: { $exists: true } });
}

/** The outbox as the poster sees it: unposted items per guild and purpose, and the claim-post-confirm steps. */
export interface Outbox {
  /** Guilds and purposes with items waiting (start-up: what a stop or a crash left). */
  waiting(): Promise<{ guildId: string; purpose: OutboxPurpose }[]>;
  /** The oldest waiting items of a guild's feed, in posting order. */
  oldest(guildId: string, purpose: OutboxPurpose, limit: number): Promise<OutboxDoc[]>;
  count(guildId: string, purpose: OutboxPurpose): Promise<number>;
  /** Waiting items of every guild, by feed: one grouped read (the backlog metric). */
  backlog(): Promise<Partial<Record<OutboxPurpose, number>>>;
  /** Writes the nonce on items not claimed yet; returns how many it claimed. */
  claim(ids: readonly string[], nonce: string, at: number): Promise<number>;
  /** Marks items as gone from the queue (posted, dropped, folded). */
  settle(ids: readonly string[], outcome: NonNullable<OutboxDoc['outcome']>, at: number): Promise<void>;
  /** Drops every waiting item of a guild's feed (it stopped, or has no channel). Returns how many. */
  dropAll(guildId: string, purpose: OutboxPurpose, at: number): Promise<number>;
  /** Inserts a summary in place of `folded` (the oldest first), then marks them folded. */
  fold(folded: readonly OutboxDoc[], summary: OutboxItem & { type: 'summary' }, at: number): Promise<void>;
}

const WAITING = { postedAt: { $exists: false } };
const ORDER = { at: 1, seq: 1, i: 1 } as const;

export function createOutbox(store: Store): Outbox {
  const ctx = contextOf(store);
  const outbox = outboxCollection(ctx);
  return {
    async waiting() {
      const groups = await outbox.aggregate<{ _id: { guildId: string; purpose: OutboxPurpose } }>([
        { $match: WAITING }, { $group: { _id: { guildId: '$guildId', purpose: '$purpose' } } },
      ]).toArray();
      return groups.map((g) => g._id);
    },
    oldest: (guildId, purpose, limit) => outbox.find({ guildId, purpose, ...WAITING }).sort(ORDER).limit(limit).toArray(),
    count: (guildId, purpose) => outbox.countDocuments({ guildId, purpose, ...WAITING }),
    async backlog() {
      const groups = await outbox.aggregate<{ _id: OutboxPurpose; n: number }>([
        { $match: WAITING }, { $group: { _id: '$purpose', n: { $sum: 1 } } },
      ]).toArray();
      return Object.fromEntries(groups.map((g) => [g._id, g.n]));
    },
    async claim(ids, nonce, at) {
      const result = await outbox.updateMany({ _id: { $in: [...ids] }, nonce: { $exists: false }, ...WAITING }, { $set: { nonce, claimedAt: at } }, { writeConcern: { w: 'majority' } });
      return result.modifiedCount;
    },
    async settle(ids, outcome, at) {
      await outbox.updateMany({ _id: { $in: [...ids] } }, { $set: { postedAt: at, outcome } }, { writeConcern: { w: 'majority' } });
    },
    async dropAll(guildId, purpose, at) {
      const result = await outbox.updateMany({ guildId, purpose, ...WAITING }, { $set: { postedAt: at, outcome: 'dropped' } });
      return result.modifiedCount;
    },
    async fold(folded, summary, at) {
      const first = folded[0];
      if (!first) return;
      // Keyed by the first folded item: a fold cut short and done again makes the same summary.
      const doc: OutboxDoc = { _id: `sum:${first._id}`, guildId: first.guildId, serverId: first.serverId, seq: first.seq, i: first.i, at: first.at, purpose: first.purpose, serverName: first.serverName, item: summary };
      try {
        await outbox.insertOne(doc, { writeConcern: { w: 'majority' } });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      await this.settle(folded.map((d) => d._id), 'folded', at);
    },
  };
}

/** Indexes of the outbox (idempotent): the poster's read of a feed's oldest waiting items. */
export async function ensureOutboxIndexes(store: Store): Promise<void> {
  await outboxCollection(contextOf(store)).createIndexes([
    { key: { guildId: 1, purpose: 1, at: 1, seq: 1, i: 1 }, name: 'guild_purpose_order' },
    { key: { guildId: 1, serverId: 1, seq: 1 }, name: 'guild_server_seq' },
  ]);
}
