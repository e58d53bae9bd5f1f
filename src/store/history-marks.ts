import type { StoreContext } from './context.js';
import { requireSnowflake } from './validate.js';

/** A history run in progress, recorded so a restart can continue it. */
export interface HistoryMark {
  guildId: string;
  serverId: string;
  /** Whether the run began by wiping the server's figures (a continued run never wipes again). */
  fresh: boolean;
  startedAt: Date;
  /** Where the summary goes when nobody is left to see the run's own reply (null: nowhere). */
  channelId: string | null;
}

/** The stored mark: `_id` is the server id (one run per server at a time). */
export interface HistoryMarkDoc extends Omit<HistoryMark, 'serverId'> {
  _id: string;
}

/**
 * Which history runs are in progress, across guilds: like the guild membership, this belongs to the
 * bot's own lifecycle (runs a restart cut short are continued at start-up), not to one guild.
 * A mark is set when a run starts and cleared when it ends (finished, failed or cancelled by a member).
 */
export interface HistoryMarks {
  set(mark: HistoryMark): Promise<void>;
  clear(serverId: string): Promise<void>;
  list(): Promise<HistoryMark[]>;
}

export function createHistoryMarks(ctx: StoreContext): HistoryMarks {
  const marks = ctx.collections.historyMarks;
  return {
    async set({ serverId, ...rest }) {
      requireSnowflake(rest.guildId, 'The guild id');
      await marks.replaceOne({ _id: serverId }, rest, { upsert: true });
    },
    async clear(serverId) {
      await marks.deleteOne({ _id: serverId });
    },
    async list() {
      const docs = await marks.find({}).sort({ startedAt: 1 }).toArray();
      return docs.map(({ _id, ...rest }) => ({ serverId: _id, ...rest }));
    },
  };
}
