import type { StoreContext } from './context.js';
import type { FeedProblem } from './documents.js';
import { requireKey, requireText } from './validate.js';

export type SettingValue = string | number | boolean;

/** A guild's settings and channel choices (`killfeed`, `events`, `online`...: purpose to channel id). */
export interface GuildConfig {
  settings: Record<string, SettingValue>;
  channels: Record<string, string>;
  /** Feeds stopped because Discord refused them, by purpose. */
  problems: Record<string, FeedProblem>;
}

export type { FeedProblem };

export interface SettingsRepo {
  get(): Promise<GuildConfig>;
  set(key: string, value: SettingValue): Promise<void>;
  /** Sets a purpose's channel and clears any problem recorded for it (setting it again is the fix). */
  setChannel(purpose: string, channelId: string): Promise<void>;
  clearChannel(purpose: string): Promise<void>;
  /**
   * Records why a feed stopped. Returns true only for the first report since the channel was last set,
   * so the admins are told once, not on every item.
   */
  reportProblem(purpose: string, problem: FeedProblem): Promise<boolean>;
}

export function createSettingsRepo(ctx: StoreContext, guildId: string): SettingsRepo {
  const { guilds } = ctx.collections;
  const write = async (update: Record<string, unknown>): Promise<void> => {
    await guilds.updateOne({ _id: guildId }, {
      ...update,
      $set: { ...(update.$set as Record<string, unknown> | undefined), updatedAt: new Date() },
    }, { upsert: true });
  };
  return {
    async get() {
      const doc = await guilds.findOne({ _id: guildId });
      return { settings: { ...doc?.settings }, channels: { ...doc?.channels }, problems: { ...doc?.problems } };
    },
    async set(key, value) {
      await write({ $set: { [`settings.${requireKey(key, 'A setting name')}`]: value } });
    },
    async setChannel(purpose, channelId) {
      const key = requireKey(purpose, 'A channel purpose');
      await write({ $set: { [`channels.${key}`]: requireText(channelId, 'The channel id', 25) }, $unset: { [`problems.${key}`]: '' } });
    },
    async clearChannel(purpose) {
      const key = requireKey(purpose, 'A channel purpose');
      await write({ $unset: { [`channels.${key}`]: '', [`problems.${key}`]: '' } });
    },
    async reportProblem(purpose, problem) {
      const key = requireKey(purpose, 'A channel purpose');
      // Only the first report of a stopped feed changes the document: later ones find the field set.
      const result = await guilds.updateOne(
        { _id: guildId, [`problems.${key}`]: { $exists: false } },
        { $set: { [`problems.${key}`]: problem, updatedAt: new Date() } },
      );
      return result.modifiedCount > 0;
    },
  };
}
