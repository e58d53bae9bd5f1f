import { Events, GatewayDispatchEvents, type Client, type GatewayReadyDispatchData, type Interaction } from 'discord.js';
import type { Logger } from '../logging/logger.js';
import type { GuildLifecycle } from './guild-lifecycle.js';

export interface BotDeps {
  /** Built by createDiscordClient, not logged in. */
  client: Client;
  /** The interaction boundary (interactions.ts). */
  handle: (interaction: Interaction) => Promise<void>;
  lifecycle: Pick<GuildLifecycle, 'added' | 'removed' | 'available' | 'reconcile'>;
  logger: Logger;
}

/** The client's events wired to the interaction boundary and the guild lifecycle. */
export interface Bot {
  /** Logs in; resolves once READY came and the guilds the bot left or rejoined while offline are settled (again after every new session). */
  login(): Promise<void>;
  destroy(): Promise<void>;
}

export function createBot(deps: BotDeps): Bot {
  const { client, lifecycle } = deps;
  const log = deps.logger.child({ module: 'bot' });
  const failed = (what: string, guildId?: string) => (error: unknown): void => log.error({ err: error, guildId }, what);
  client.on(Events.InteractionCreate, (interaction) => {
    deps.handle(interaction).catch(failed('the interaction boundary itself failed', interaction.guildId ?? undefined));
  });
  // discord.js emits guildDelete only when the bot was removed (or the guild deleted); a Discord
  // outage of the guild comes as guildUnavailable, and then nothing must stop.
  client.on(Events.GuildDelete, (guild) => {
    lifecycle.removed(guild.id).catch(failed('could not record that the bot left a guild', guild.id));
  });
  client.on(Events.GuildCreate, (guild) => {
    lifecycle.added(guild.id).catch(failed('could not start watching a guild the bot joined', guild.id));
  });
  // A guild in a new session's READY comes as guildAvailable, never guildCreate (discord.js caches it
  // from READY first): one marked left was added back while the bot was disconnected.
  client.on(Events.GuildAvailable, (guild) => {
    lifecycle.available(guild.id).catch(failed('could not start watching a guild the bot is back in', guild.id));
  });
  let settled: Promise<void> = Promise.resolve();
  // Every READY (the first, and each new session after an invalidated one) lists every guild the bot is
  // in. discord.js keeps the guilds missing from it cached and emits no guildDelete for them, so the
  // removals and re-adds of the time without a session are settled here from the payload itself.
  client.ws.on(GatewayDispatchEvents.Ready, (data: GatewayReadyDispatchData) => {
    const present = new Set(data.guilds.map((g) => g.id));
    // Dropped from the cache too: a stale cached guild would swallow the guildCreate of a later re-add.
    for (const id of [...client.guilds.cache.keys()]) if (!present.has(id)) client.guilds.cache.delete(id);
    settled = lifecycle.reconcile(present);
    settled.catch(failed('could not settle the guilds the bot left or joined while it had no gateway session'));
  });
  client.on(Events.GuildUnavailable, (guild) => log.warn({ guildId: guild.id }, 'a guild is unavailable (Discord outage); its game servers are still watched'));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, 'gateway connection closed'));
  client.on(Events.ShardResume, () => log.info('gateway session resumed'));
  return {
    async login() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login();
      await ready;
      log.info({ guilds: client.guilds.cache.size, user: client.user?.tag }, 'logged in to Discord');
      await settled;
    },
    destroy: () => client.destroy(),
  };
}
