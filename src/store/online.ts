import type { StoreContext } from './context.js';
import type { OnlineDoc } from './documents.js';
import { StoreInputError } from './errors.js';

export type OnlinePlayer = OnlineDoc['players'][number];

/** Who is online or queued on each of the guild's servers, as last read from the server log. */
export interface OnlineRepo {
  /** Replaces the server's list (a restart resets it with `[]`). */
  set(serverId: string, players: readonly OnlinePlayer[]): Promise<void>;
  get(serverId: string): Promise<{ players: OnlinePlayer[]; updatedAt: Date | null }>;
}

export function createOnlineRepo(ctx: StoreContext, guildId: string): OnlineRepo {
  const { online, servers } = ctx.collections;
  return {
    async set(serverId, players) {
      // The server must be this guild's: an id guessed from another guild is refused, not written.
      if (!(await servers.findOne({ _id: serverId, guildId }, { projection: { _id: 1 } }))) {
        throw new StoreInputError('No game server with that id in this Discord server.');
      }
      await online.replaceOne({ _id: serverId, guildId },
        { guildId, players: players.map((p) => ({ ...p })), updatedAt: new Date() }, { upsert: true });
    },
    async get(serverId) {
      const doc = await online.findOne({ _id: serverId, guildId });
      return { players: doc?.players ?? [], updatedAt: doc?.updatedAt ?? null };
    },
  };
}
