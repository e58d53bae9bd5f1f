import type { Logger } from '../logging/logger.js';
import type { GuildMembership } from '../store/index.js';
import type { ServerWatcher } from './context.js';

/** How long a guild's data is kept after the bot was removed, in case it is added back. */
export const GUILD_GRACE_MS = 30 * 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface GuildLifecycleDeps {
  membership: GuildMembership;
  watcher: Pick<ServerWatcher, 'watchGuild' | 'unwatchGuild'>;
  /** A removed guild's history runs are cancelled: nobody there can see them any more. */
  history: { cancelGuild(guildId: string): number };
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
  /**
   * A guild came available in a session (discord.js's `guildAvailable`): if it is marked left, the bot
   * was added back while it was disconnected, since a guild in a new READY never comes as `guildCreate`.
   */
  available(guildId: string): Promise<void>;
  /** After every READY, with its guilds: removals and re-adds missed while the bot was offline or reconnecting. */
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
  // Membership changes run one at a time in the order they came: a READY's reconcile and the
  // gateway events around it must not interleave (an add finishing after a later removal would
  // leave a removed guild ticking).
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const done = turn.then(work, work);
    turn = done.catch(() => undefined);
    return done;
  };
  /** Stops the guild's ticks and history runs; returns how many runs were cancelled. */
  const stop = (guildId: string): number => {
    watcher.unwatchGuild(guildId);
    return deps.history.cancelGuild(guildId);
  };
  const markRemoved = async (guildId: string, runsCancelled: number): Promise<void> => {
    // Again in turn: an add that was still going when the removal came may have watched it since.
    watcher.unwatchGuild(guildId);
    await membership.markLeft(guildId, new Date(deps.now()));
    log.info({ guildId, runsCancelled }, 'the bot was removed from a guild: its game servers are no longer watched, its data is kept for 30 days');
  };
  const add = async (guildId: string): Promise<void> => {
    const wasLeft = await membership.markPresent(guildId);
    const servers = await watcher.watchGuild(guildId);
    log.info({ guildId, servers, returning: wasLeft }, 'the bot was added to a guild');
  };
  const lifecycle: GuildLifecycle = {
    async watchable() {
      const left = await membership.left();
      return (await membership.knownGuildIds()).filter((id) => !left.has(id));
    },
    removed(guildId) {
      // Ticks and history runs stop at once, before the database is touched and before any change
      // still in turn: a removal must stop reading and posting even when the store is down.
      const runsCancelled = stop(guildId);
      return inTurn(() => markRemoved(guildId, runsCancelled));
    },
    added: (guildId) => inTurn(() => add(guildId)),
    available: (guildId) => inTurn(async () => {
      if ((await membership.left()).has(guildId)) await add(guildId);
    }),
    reconcile: (present) => inTurn(async () => {
      const left = await membership.left();
      for (const guildId of await membership.knownGuildIds()) {
        if (!present.has(guildId) && !left.has(guildId)) await markRemoved(guildId, stop(guildId));
        else if (present.has(guildId) && left.has(guildId)) await add(guildId);
      }
    }),
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
