import type { Logger } from '../logging/logger.js';
import type { GuildMembership } from '../store/index.js';
import type { ServerWatcher } from './context.js';

/** How long a guild's data is kept after the bot was removed, in case it is added back. */
export const GUILD_GRACE_MS = 30 * 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface GuildLifecycleDeps {
  membership: GuildMembership;
  watcher: Pick<ServerWatcher, 'watchGuild' | 'unwatchGuild'>;
  logger: Logger;
  /** The clock (ms since the epoch). */
  now: () => number;
}

/**
 * The bot joining and leaving guilds. Removed (not a Discord outage, which discord.js reports as
 * `guildUnavailable` instead): the guild's ticks stop at once and its data is kept for
 * {@link GUILD_GRACE_MS}; added back within that time, it carries on; past it, a sweep deletes it.
 */
export interface GuildLifecycle {
  /** Guilds with data the bot should watch at start: every one not marked left. */
  watchable(): Promise<string[]>;
  removed(guildId: string): Promise<void>;
  added(guildId: string): Promise<void>;
  /** After READY, with the guilds the bot is in: removals and re-adds missed while it was offline. */
  reconcile(present: ReadonlySet<string>): Promise<void>;
  /** Deletes the guilds left longer ago than the grace period; returns their ids. */
  sweep(): Promise<string[]>;
  /** Sweeps every hour until `stopSweeping`. */
  startSweeping(): void;
  stopSweeping(): void;
}

export function createGuildLifecycle(deps: GuildLifecycleDeps): GuildLifecycle {
  const { membership, watcher } = deps;
  const log = deps.logger.child({ module: 'guilds' });
  let timer: NodeJS.Timeout | null = null;
  const lifecycle: GuildLifecycle = {
    async watchable() {
      const left = await membership.left();
      return (await membership.knownGuildIds()).filter((id) => !left.has(id));
    },
    async removed(guildId) {
      // Ticks stop before the database is touched: a removal must stop posting even when the store is down.
      watcher.unwatchGuild(guildId);
      await membership.markLeft(guildId, new Date(deps.now()));
      log.info({ guildId }, 'the bot was removed from a guild: its game servers are no longer watched, its data is kept for 30 days');
    },
    async added(guildId) {
      const wasLeft = await membership.markPresent(guildId);
      const servers = await watcher.watchGuild(guildId);
      log.info({ guildId, servers, returning: wasLeft }, 'the bot was added to a guild');
    },
    async reconcile(present) {
      const left = await membership.left();
      for (const guildId of await membership.knownGuildIds()) {
        if (!present.has(guildId) && !left.has(guildId)) await lifecycle.removed(guildId);
        else if (present.has(guildId) && left.has(guildId)) await lifecycle.added(guildId);
      }
    },
    async sweep() {
      const deleted = await membership.deleteLeftBefore(new Date(deps.now() - GUILD_GRACE_MS));
      if (deleted.length > 0) log.info({ guilds: deleted }, 'deleted the data of guilds the bot left more than 30 days ago');
      return deleted;
    },
    startSweeping() {
      timer ??= setInterval(() => {
        lifecycle.sweep().catch((error: unknown) => log.error({ err: error }, 'could not delete the data of guilds the bot left'));
      }, SWEEP_EVERY_MS).unref();
    },
    stopSweeping() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return lifecycle;
}
