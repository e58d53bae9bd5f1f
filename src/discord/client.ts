import { Client, GatewayIntentBits, Options } from 'discord.js';
import type { Logger } from '../logging/logger.js';

export interface DiscordClientOptions {
  token: string;
  /** A Discord-compatible API (the local stand-in); absent: Discord itself. */
  apiUrl?: string;
  logger: Logger;
}

/**
 * The bot's discord.js client, not logged in. Guilds intent only (no privileged intents), and
 * caches kept to what the bot reads: guilds, their channels and roles, and the bot's own member
 * (for its channel permissions). Everything else is never cached, so memory stays flat with many guilds.
 */
export function createDiscordClient(options: DiscordClientOptions): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    makeCache: Options.cacheWithLimits({
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      DMMessageManager: 0,
      EntitlementManager: 0,
      GuildBanManager: 0,
      GuildEmojiManager: 0,
      GuildForumThreadManager: 0,
      GuildInviteManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      GuildMessageManager: 0,
      GuildScheduledEventManager: 0,
      GuildStickerManager: 0,
      GuildTextThreadManager: 0,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
      VoiceStateManager: 0,
    }),
    // Nothing is cached that a sweeper would need to clear.
    sweepers: {},
    // Text the bot posts carries names from game logs and admins' input: a player called
    // "@everyone" must not ping a whole Discord server. A message that should ping says so itself.
    allowedMentions: { parse: [], repliedUser: false },
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      // A channel rename over Discord's 2-per-10-minutes limit would be waited out silently for up to
      // 10 minutes: the player-count renamer takes the refusal at once and tries later with newer figures.
      rejectOnRateLimit: (limit) => limit.method === 'PATCH' && limit.route === '/channels/:id',
    },
  });
  // discord.js keeps the token for login(); setting it here lets login() take no argument, so the
  // token is handed over once and never passes through another call (or a log line).
  client.token = options.token;
  const log = options.logger.child({ module: 'discord' });
  client.on('error', (error) => log.error({ err: error }, 'discord client error'));
  client.on('warn', (message) => log.warn({ detail: message }, 'discord client warning'));
  client.on('debug', (message) => log.debug({ detail: message }, 'discord client'));
  client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'));
  return client;
}
