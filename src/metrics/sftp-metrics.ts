import { Counter, type Registry } from 'prom-client';
import { classifyError, type SftpPool } from '../sources/index.js';

/**
 * Counts SFTP operations (each lease of a connection is one operation of a read: a listing, a
 * stat, a ranged read) and their errors by kind, by wrapping the connection pool every SFTP
 * source goes through. Kinds are the sources' closed set (auth-failed, unreachable, timeout...).
 */
export function countedSftpPool(registry: Registry, pool: SftpPool): SftpPool {
  const registers = [registry];
  const operations = new Counter({ name: 'killfeed_sftp_operations_total', help: 'SFTP operations started (connections leased for one read step).', registers });
  const errors = new Counter({ name: 'killfeed_sftp_errors_total', help: 'SFTP operations that failed: connecting or logging in (by kind), or a connection broken or timed out during one (kind "broken").', labelNames: ['kind'] as const, registers });
  return {
    async acquire(key, open) {
      operations.inc();
      try {
        return await pool.acquire(key, open);
      } catch (error) {
        errors.inc({ kind: classifyError(error, { where: 'the game server' }).kind });
        throw error;
      }
    },
    release(key, connection, reusable) {
      if (!reusable) errors.inc({ kind: 'broken' });
      pool.release(key, connection, reusable);
    },
    snapshot: () => pool.snapshot(),
    hostSnapshot: () => pool.hostSnapshot(),
    close: () => pool.close(),
  };
}
