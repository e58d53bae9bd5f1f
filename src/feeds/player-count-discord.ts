import { Routes, type Client } from 'discord.js';
import type { ChannelRenames } from './player-count.js';

/**
 * The renamer's Discord calls through the bot's client. The current name comes from the client's
 * channel cache (filled by GUILD_CREATE, kept by CHANNEL_UPDATE), else from Discord; the rename goes
 * through the client's REST queue, whose `rejectOnRateLimit` (src/discord/client.ts) makes a refused
 * rename fail at once instead of waiting out Discord's 10-minute window.
 */
export function discordChannelRenames(client: Pick<Client, 'channels' | 'rest'>): ChannelRenames {
  return {
    async currentName(channelId) {
      const cached = client.channels.cache.get(channelId);
      if (cached !== undefined && 'name' in cached && typeof cached.name === 'string') return cached.name;
      const raw = await client.rest.get(Routes.channel(channelId)) as { name?: string | null };
      return raw.name ?? '';
    },
    async rename(channelId, name) {
      await client.rest.patch(Routes.channel(channelId), { body: { name }, reason: 'Player count' });
    },
    async notify(channelId, content) {
      await client.rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] } } });
    },
  };
}
