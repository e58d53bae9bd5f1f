import type { StoreContext } from './context.js';
import { StoreInputError } from './errors.js';
import { isDuplicateKey, requireSnowflake, requireText } from './validate.js';

/** A Discord user linked to an in-game player (EOS id), within one guild. */
export interface AccountLink {
  discordUserId: string;
  eosId: string;
  linkedAt: Date;
}

export interface LinksRepo {
  /** Links (or re-links) a user. Fails when the EOS id is already linked to someone else in this guild. */
  link(discordUserId: string, eosId: string): Promise<AccountLink>;
  unlink(discordUserId: string): Promise<boolean>;
  byUser(discordUserId: string): Promise<AccountLink | null>;
  byEosId(eosId: string): Promise<AccountLink | null>;
  list(): Promise<AccountLink[]>;
}

export function createLinksRepo(ctx: StoreContext, guildId: string): LinksRepo {
  const { links } = ctx.collections;
  const idOf = (userId: string): string => `${guildId}:${requireSnowflake(userId, 'The Discord user id')}`;
  const view = (d: { discordUserId: string; eosId: string; linkedAt: Date }): AccountLink =>
    ({ discordUserId: d.discordUserId, eosId: d.eosId, linkedAt: d.linkedAt });
  return {
    async link(discordUserId, eosId) {
      const eos = requireText(eosId, 'The EOS id', 64).toLowerCase();
      const doc = { _id: idOf(discordUserId), guildId, discordUserId, eosId: eos, linkedAt: new Date() };
      try {
        await links.replaceOne({ _id: doc._id, guildId }, doc, { upsert: true });
      } catch (error) {
        if (isDuplicateKey(error)) throw new StoreInputError('That player is already linked to another Discord user here.');
        throw error;
      }
      return view(doc);
    },
    async unlink(discordUserId) {
      return (await links.deleteOne({ _id: idOf(discordUserId), guildId })).deletedCount > 0;
    },
    async byUser(discordUserId) {
      const doc = await links.findOne({ _id: idOf(discordUserId), guildId });
      return doc ? view(doc) : null;
    },
    async byEosId(eosId) {
      const doc = await links.findOne({ guildId, eosId: eosId.toLowerCase() });
      return doc ? view(doc) : null;
    },
    async list() {
      return (await links.find({ guildId }).sort({ linkedAt: 1 }).toArray()).map(view);
    },
  };
}
