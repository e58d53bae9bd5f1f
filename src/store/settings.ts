import type { StoreContext } from './context.js';
import { requireKey, requireText } from './validate.js';

export type SettingValue = string | number | boolean;

/** A guild's settings and channel choices (`killfeed`, `events`, `online`...: purpose to channel id). */
export interface GuildConfig {
  settings: Record<string, SettingValue>;
  channels: Record<string, string>;
}

export interface SettingsRepo {
  get(): Promise<GuildConfig>;
  set(key: string, value: SettingValue): Promise<void>;
  setChannel(purpose: string, channelId: string): Promise<void>;
  clearChannel(purpose: string): Promise<void>;
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
      return { settings: { ...doc?.settings }, channels: { ...doc?.channels } };
    },
    async set(key, value) {
      await write({ $set: { [`settings.${requireKey(key, 'A setting name')}`]: value } });
    },
    async setChannel(purpose, channelId) {
      await write({ $set: { [`channels.${requireKey(purpose, 'A channel purpose')}`]: requireText(channelId, 'The channel id', 25) } });
    },
    async clearChannel(purpose) {
      await write({ $unset: { [`channels.${requireKey(purpose, 'A channel purpose')}`]: '' } });
    },
  };
}
