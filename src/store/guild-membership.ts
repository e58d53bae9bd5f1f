import type { StoreContext } from './context.js';
import { requireSnowflake } from './validate.js';

/**
 * Which Discord guilds the bot has left, across guilds: the one part of the store that is not
 * scoped to a guild, because the bot's own lifecycle (removed, added back, data deleted after a
 * grace period) spans them. The mark is `leftAt` on the guild's settings document.
 */
export interface GuildMembership {
  /** Every guild with data here (servers, settings or account links). */
  knownGuildIds(): Promise<string[]>;
  /** Guilds marked left, with when. */
  left(): Promise<Map<string, Date>>;
  /** Marks the guild left at `at`; an earlier mark stays (the grace period runs from the first removal). */
  markLeft(guildId: string, at: Date): Promise<void>;
  /** Clears the mark (the bot was added back). True when there was one. */
  markPresent(guildId: string): Promise<boolean>;
  /** Deletes every guild marked left before `cutoff`, with all of its data. Returns their ids. */
  deleteLeftBefore(cutoff: Date): Promise<string[]>;
}

export function createGuildMembership(ctx: StoreContext): GuildMembership {
  const c = ctx.collections;
  return {
    async knownGuildIds() {
      const ids = new Set<string>([
        ...(await c.servers.distinct('guildId')) as string[],
        ...(await c.guilds.distinct('_id')),
        ...(await c.links.distinct('guildId')) as string[],
      ]);
      return [...ids].sort();
    },
    async left() {
      const docs = await c.guilds.find({ leftAt: { $type: 'date' } }, { projection: { leftAt: 1 } }).toArray();
      return new Map(docs.flatMap((d) => (d.leftAt ? [[d._id, d.leftAt] as const] : [])));
    },
    async markLeft(guildId, at) {
      requireSnowflake(guildId, 'The guild id');
      // $min keeps an earlier mark; a guild without a settings document gets one.
      await c.guilds.updateOne({ _id: guildId }, { $min: { leftAt: at }, $set: { updatedAt: at }, $setOnInsert: { settings: {}, channels: {} } }, { upsert: true });
    },
    async markPresent(guildId) {
      const result = await c.guilds.updateOne({ _id: guildId, leftAt: { $exists: true } }, { $unset: { leftAt: '' }, $set: { updatedAt: new Date() } });
      return result.modifiedCount > 0;
    },
    async deleteLeftBefore(cutoff) {
      const gone = await c.guilds.find({ leftAt: { $lt: cutoff } }, { projection: { _id: 1 } }).toArray();
      for (const { _id: guildId } of gone) await deleteGuildData(ctx, guildId);
      return gone.map((d) => d._id);
    },
  };
}

/** Everything stored for a guild; the guild document (holding the mark) goes last, so a sweep cut short is finished by the next. */
async function deleteGuildData({ collections: c }: StoreContext, guildId: string): Promise<void> {
  await c.servers.deleteMany({ guildId });
  await c.stats.deleteMany({ guildId });
  await c.ingest.deleteMany({ guildId });
  await c.pendingParts.deleteMany({ guildId });
  await c.online.deleteMany({ guildId });
  await c.links.deleteMany({ guildId });
  await c.historyMarks.deleteMany({ guildId });
  await c.outbox.deleteMany({ guildId });
  await c.guilds.deleteOne({ _id: guildId });
}
