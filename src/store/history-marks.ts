import type { StoreContext } from './context.js';
import { requireSnowflake } from './validate.js';

/** A history run in progress, recorded so a restart can continue it. */
export interface HistoryMark {
  guildId: string;
  serverId: string;
  /** Whether the run began by wiping the server's figures. */
  fresh: boolean;
  /**
   * Whether a fresh run's wipe is done: a fresh run cut short before it is continued as fresh
   * (the wipe was asked for and never happened); one cut short after it goes on from its cursors.
   */
  resetDone: boolean;
  startedAt: Date;
  /** Where the summary goes when nobody is left to see the run's own reply (null: nowhere). */
  channelId: string | null;
}

/** The stored mark: `_id` is the server id (one run per server at a time). */
export interface HistoryMarkDoc extends Omit<HistoryMark, 'serverId' | 'resetDone'> {
  _id: string;
  resetDone?: boolean;
}

/**
 * Which history runs are in progress, across guilds: like the guild membership, this belongs to the
 * bot's own lifecycle (runs a restart cut short are continued at start-up), not to one guild.
 * A mark is set when a run starts and cleared when it ends (finished, failed or cancelled by a member).
 */
export interface HistoryMarks {
  /** Records the run (a mark without `resetDone` has not wiped yet). */
  set(mark: Omit<HistoryMark, 'resetDone'> & { resetDone?: boolean }): Promise<void>;
  clear(serverId: string): Promise<void>;
  list(): Promise<HistoryMark[]>;
}

export function createHistoryMarks(ctx: StoreContext): HistoryMarks {
  const marks = ctx.collections.historyMarks;
  return {
    async set({ serverId, resetDone = false, ...rest }) {
      requireSnowflake(rest.guildId, 'The guild id');
      await marks.replaceOne({ _id: serverId }, { ...rest, resetDone }, { upsert: true });
    },
    async clear(serverId) {
      await marks.deleteOne({ _id: serverId });
    },
    async list() {
      const docs = await marks.find({}).sort({ startedAt: 1 }).toArray();
      // Marks stored before resetDone existed: unknown, so a fresh one wipes again (reading everything again is always right).
      return docs.map(({ _id, ...rest }) => ({ serverId: _id, ...rest, resetDone: rest.resetDone ?? false }));
    },
  };
}
