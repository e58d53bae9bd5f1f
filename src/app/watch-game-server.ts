import { createServerWatch, type ServerWatch } from '../ingest/server-watch.js';
import type { Logger } from '../logging/logger.js';
import { createLocalSource, createSftpSource, LEGACY_ALGORITHMS, type LogSource, type SftpPool } from '../sources/index.js';
import type { GameServer, GuildStore } from '../store/index.js';

export interface WatchDeps {
  guild: GuildStore;
  server: GameServer;
  sftp: SftpPool;
  logger: Logger;
  defaultIntervalSeconds: number;
}

/** A game server record turned into something the scheduler can tick: its source, paths and cadence. */
export async function watchGameServer(deps: WatchDeps): Promise<ServerWatch> {
  const { guild, server } = deps;
  return createServerWatch({
    target: await guild.ingest.target(server.id),
    name: server.name,
    source: await sourceFor(deps),
    intervalMs: (server.pollSeconds || deps.defaultIntervalSeconds) * 1000,
    configured: {
      ...(server.paths.deathLogs ? { deathLogDir: server.paths.deathLogs } : {}),
      ...(server.paths.serverLog ? { serverLogPath: server.paths.serverLog } : {}),
    },
  });
}

/** The game server's files as a source: its local folder, or SFTP with its stored credentials (learning the host key on first use). */
export async function sourceFor({ guild, server, sftp, logger }: Pick<WatchDeps, 'guild' | 'server' | 'sftp' | 'logger'>): Promise<LogSource> {
  if (server.localPath) return createLocalSource(server.localPath);
  const credentials = await guild.servers.credentials(server.id);
  return createSftpSource({
    host: server.host, port: server.port, username: server.username,
    ...(credentials.password ? { password: credentials.password } : {}),
    ...(credentials.privateKey ? { privateKey: credentials.privateKey } : {}),
    ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}),
    ...(server.hostKey ? { hostKey: server.hostKey } : {}),
    ...(server.legacyAlgorithms ? { algorithms: LEGACY_ALGORITHMS } : {}),
  }, {
    pool: sftp,
    // Trust on first use: remember the key this host showed, and refuse a different one later.
    onHostKeyLearned: (hostKey) => {
      guild.servers.update(server.id, { hostKey }).catch((error: unknown) => logger.warn({ err: error, serverId: server.id }, 'could not store the learned host key'));
    },
  });
}
