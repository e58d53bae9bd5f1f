import type { ServerWatcher } from '../discord/context.js';
import type { TickScheduler } from '../ingest/scheduler.js';
import type { Logger } from '../logging/logger.js';
import type { SftpPool } from '../sources/index.js';
import type { GameServer, Store } from '../store/index.js';
import { watchGameServer } from './watch-game-server.js';

export interface ServerWatcherDeps {
  store: Pick<Store, 'guild'>;
  scheduler: Pick<TickScheduler, 'add' | 'remove' | 'health'>;
  sftp: SftpPool;
  logger: Logger;
  defaultIntervalSeconds: number;
}

/** Turns stored game servers into scheduled ticks, and stops them, per server or per guild. */
export function createServerWatcher(deps: ServerWatcherDeps): ServerWatcher {
  const { scheduler, logger } = deps;
  // Which guild each watched server belongs to, so a guild's servers can be stopped without a database read.
  const guildOf = new Map<string, string>();
  const watcher: ServerWatcher = {
    async watchGuild(guildId) {
      const guild = deps.store.guild(guildId);
      let watched = 0;
      for (const server of await guild.servers.list()) {
        if (!server.enabled) continue;
        try {
          await watcher.watch(guild, server);
          watched += 1;
        } catch (error) {
          // One server whose settings no longer work (say, credentials sealed with another key)
          // must not keep the others from being watched.
          logger.error({ err: error, guildId, serverId: server.id, server: server.name }, 'cannot watch this game server');
        }
      }
      return watched;
    },
    async watch(guild, server: GameServer) {
      if (!server.enabled) {
        watcher.unwatch(server.id);
        return;
      }
      scheduler.add(await watchGameServer({ guild, server, sftp: deps.sftp, logger, defaultIntervalSeconds: deps.defaultIntervalSeconds }));
      guildOf.set(server.id, guild.guildId);
    },
    unwatch(serverId) {
      scheduler.remove(serverId);
      guildOf.delete(serverId);
    },
    unwatchGuild(guildId) {
      for (const [serverId, owner] of guildOf) if (owner === guildId) watcher.unwatch(serverId);
    },
    health: (guildId) => scheduler.health().filter((h) => h.guildId === guildId),
  };
  return watcher;
}

