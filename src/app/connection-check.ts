import type { Logger } from '../logging/logger.js';
import { discoverLayout, listDeathLogs, SourceError, type SftpPool, type SourceErrorKind, type SftpSource } from '../sources/index.js';
import type { GameServer, GuildStore } from '../store/index.js';
import { sourceFor } from './watch-game-server.js';

/** What connecting to a game server found, or exactly why it could not. */
export type ConnectionReport =
  | {
    ok: true;
    /** `sftp://user@host:port` or `local:/path`. */
    where: string;
    /** The SFTP host key now trusted, and whether this check was the first to see it. */
    hostKey: { fingerprint: string; firstUse: boolean } | null;
    /** Null: no `deathlogs` folder was found (nor configured). */
    deathLogDir: string | null;
    serverLogPath: string | null;
    /** The day files in the death-log folder, oldest first. */
    deathLogs: { name: string; size: number }[];
    /** More than one death-log folder seen: the account may hold several game servers. */
    otherDeathLogDirs: string[];
  }
  | { ok: false; where: string; kind: SourceErrorKind; message: string };

export interface ConnectionCheckDeps {
  guild: GuildStore;
  server: GameServer;
  sftp: SftpPool;
  logger: Logger;
}

/**
 * Connects as the ticks would (same credentials, host-key pin and paths), finds the death-log folder
 * and Deadside.log, and lists the day files. A failure the admin can act on (refused login, host down,
 * timeout, changed host key, missing folder) is the report; anything else is a bug and is thrown.
 */
export async function checkConnection(deps: ConnectionCheckDeps): Promise<ConnectionReport> {
  const { server } = deps;
  let where = server.localPath ? `local:${server.localPath}` : `sftp://${server.username}@${server.host}:${server.port}`;
  try {
    const source = await sourceFor(deps);
    where = source.label;
    try {
      const hostKey = isSftp(source) ? await source.probe() : null;
      const layout = await discoverLayout(source, {
        ...(server.paths.deathLogs ? { deathLogDir: server.paths.deathLogs } : {}),
        ...(server.paths.serverLog ? { serverLogPath: server.paths.serverLog } : {}),
      });
      const deathLogs = layout.deathLogDir === null ? [] : (await listDeathLogs(source, layout.deathLogDir)).files.map((f) => ({ name: f.name, size: f.size }));
      return {
        ok: true, where, hostKey: hostKey && { fingerprint: hostKey.hostKey, firstUse: hostKey.firstUse },
        deathLogDir: layout.deathLogDir, serverLogPath: layout.serverLogPath, deathLogs,
        otherDeathLogDirs: layout.candidates.deathLogDirs.filter((d) => d !== layout.deathLogDir),
      };
    } finally {
      await source.close();
    }
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { ok: false, where, kind: error.kind, message: error.message };
  }
}

function isSftp(source: object): source is SftpSource {
  return typeof (source as Partial<SftpSource>).probe === 'function';
}
