/** Discord's wire shapes (snake_case JSON) of the stand-in's guilds, channels, roles, members and messages. */
import type { Role } from './permissions.js';
import type { ChannelState, GuildState, StoredMessage, World } from './state.js';

/** A channel as `GET /channels/{id}` and GUILD_CREATE send it. */
export function channelJson(c: ChannelState): Record<string, unknown> {
  const common = {
    id: c.id, type: c.type, guild_id: c.guildId, name: c.name, position: c.position, parent_id: null, nsfw: false, flags: 0,
    rate_limit_per_user: 0, last_message_id: null,
    permission_overwrites: c.overwrites.map((o) => ({ id: o.id, type: o.type, allow: String(o.allow), deny: String(o.deny) })),
  };
  return c.type === 2 ? { ...common, bitrate: 64000, user_limit: 0, rtc_region: null } : { ...common, topic: null };
}

function roleJson(r: Role): Record<string, unknown> {
  return {
    id: r.id, name: r.name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false,
    icon: null, unicode_emoji: null, position: r.position, permissions: String(r.permissions), managed: r.managedBy !== undefined,
    mentionable: false, flags: 0, ...(r.managedBy ? { tags: { bot_id: r.managedBy } } : {}),
  };
}

/** A guild member as Discord sends it (without `permissions`; interactions add them). */
export function memberJson(m: { user: unknown; roles: string[] }, joinedAt: string): Record<string, unknown> {
  return {
    user: m.user, roles: m.roles, nick: null, avatar: null, banner: null, joined_at: joinedAt, premium_since: null, deaf: false,
    mute: false, flags: 0, pending: false, communication_disabled_until: null, unusual_dm_activity_until: null,
  };
}

/** GUILD_CREATE's payload: the guild with its channels, roles and the bot's own member (no privileged intents). */
export function guildCreateJson(world: World, g: GuildState): Record<string, unknown> {
  const bot = g.members.get(world.botUser.id);
  return {
    id: g.id, name: g.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null, owner_id: g.ownerId,
    afk_channel_id: null, afk_timeout: 300, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
    roles: g.roles.map(roleJson), emojis: [], stickers: [], features: [], mfa_level: 0, application_id: null,
    system_channel_id: null, system_channel_flags: 0, rules_channel_id: null, public_updates_channel_id: null,
    safety_alerts_channel_id: null, vanity_url_code: null, premium_tier: 0, premium_subscription_count: 0,
    preferred_locale: 'en-US', nsfw_level: 0, premium_progress_bar_enabled: false, max_members: 500000,
    max_video_channel_users: 25, max_stage_video_channel_users: 50, hub_type: null, incidents_data: null,
    joined_at: g.joinedAt, large: false, unavailable: false, member_count: g.members.size, lazy: true,
    voice_states: [], members: bot ? [memberJson(bot, g.joinedAt)] : [], channels: g.channels.map(channelJson),
    threads: [], presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}

/** A message as the API returns it. */
export function messageJson(world: World, m: StoredMessage): Record<string, unknown> {
  return {
    id: m.id, type: 0, channel_id: m.channelId, ...(m.guildId ? { guild_id: m.guildId } : {}), author: world.botUser,
    content: m.content, embeds: m.embeds, components: m.components, flags: m.flags, nonce: m.nonce ?? undefined,
    timestamp: new Date(m.createdAt).toISOString(), edited_timestamp: m.editedAt === null ? null : new Date(m.editedAt).toISOString(),
    tts: false, mention_everyone: false, mentions: [], mention_roles: [], mention_channels: [], attachments: [], pinned: false,
    ...(m.webhookId ? { webhook_id: m.webhookId, application_id: m.webhookId } : {}),
  };
}
