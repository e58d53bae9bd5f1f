import { createServerState, type ServerState } from '../../parsers/index.js';
import type { DeathLogCursor, FileCursor as SourceCursor, LogSource } from '../sources/index.js';
import { newDeathLogCursor, NEVER_LISTED } from '../sources/index.js';
import type { FileCursor as StoredCursor, IngestTarget, OnlinePlayer } from '../store/index.js';
import { newServerHealth, type ServerHealth } from './health.js';

/** Where a game server's files are, once discovered (or as configured). */
export interface ServerLayout {
  deathLogDir: string | null;
  serverLogPath: string | null;
}

/**
 * Everything the bot keeps in memory about one watched game server between ticks. Cursors here
 * only ever move after the data they cover is durable, so a failed tick simply reads again.
 */
export interface ServerWatch {
  readonly target: IngestTarget;
  readonly name: string;
  readonly source: LogSource;
  readonly intervalMs: number;
  readonly utcOffsetMinutes: number;
  /** Configured paths (null: discover). */
  readonly configured: { deathLogDir?: string; serverLogPath?: string };
  layout: ServerLayout | null;
  /** When discovery last ran (ms): a part not found is looked for again now and then. */
  layoutCheckedAt: number;
  deathLog: DeathLogCursor | null;
  serverLog: SourceCursor | null;
  serverLogLastTime: number | null;
  serverState: ServerState;
  health: ServerHealth;
  /** Files with no stored position are read silently until their end: old rows are not news. */
  catchingUp: { deathLog: boolean; serverLog: boolean };
  /** The player count last published, so an unchanged count is not published again. */
  lastCount: { online: number; queued: number; maxPlayers: number | null } | null;
}

export interface NewServerWatch {
  target: IngestTarget;
  name: string;
  source: LogSource;
  intervalMs: number;
  utcOffsetMinutes?: number;
  configured?: { deathLogDir?: string; serverLogPath?: string };
}

export function createServerWatch(o: NewServerWatch): ServerWatch {
  const { deathLogDir, serverLogPath } = o.configured ?? {};
  return {
    target: o.target, name: o.name, source: o.source, intervalMs: o.intervalMs, utcOffsetMinutes: o.utcOffsetMinutes ?? 0,
    // Paths as an admin types them (`./Deadside/...`, a trailing `/`) must match the stored cursors.
    configured: {
      ...(deathLogDir === undefined ? {} : { deathLogDir: normalizePath(deathLogDir) }),
      ...(serverLogPath === undefined ? {} : { serverLogPath: normalizePath(serverLogPath) }),
    }, layout: null, layoutCheckedAt: 0, deathLog: null, serverLog: null, serverLogLastTime: null,
    serverState: createServerState(), health: newServerHealth(o.target.guildId, o.target.serverId, o.name),
    catchingUp: { deathLog: false, serverLog: false }, lastCount: null,
  };
}

/** Store cursors carry a fingerprint as `head`; sources also track mtime, which is only a hint. */
export function toSourceCursor(c: StoredCursor): SourceCursor {
  return { file: c.file, offset: c.offset, size: c.size, mtimeMs: 0, fingerprint: c.head, carry: c.carry, nextLine: c.nextLine };
}

export function toStoredCursor(c: SourceCursor): StoredCursor {
  return { file: c.file, offset: c.offset, size: c.size, head: c.fingerprint, carry: c.carry, nextLine: c.nextLine };
}

/**
 * Puts durable cursors back after a restart: the newest death-log file under the folder is the one
 * being read (older ones were finished), and the server log's own cursor.
 */
export function restoreCursors(watch: ServerWatch, layout: ServerLayout, stored: readonly StoredCursor[]): void {
  const { deathLogDir, serverLogPath } = layout;
  if (deathLogDir !== null) restoreDeathLog(watch, deathLogDir, stored);
  const log = serverLogPath === null ? undefined : stored.find((c) => c.file === serverLogPath);
  watch.serverLog = log ? toSourceCursor(log) : null;
  watch.catchingUp.serverLog = serverLogPath !== null && !log;
}

/** The newest death-log file with a durable cursor is the one being read: older ones were finished. */
export function restoreDeathLog(watch: ServerWatch, dir: string, stored: readonly StoredCursor[]): void {
  const newest = stored.filter((c) => c.file.startsWith(`${dir}/`)).sort((a, b) => (a.file < b.file ? -1 : 1)).at(-1);
  watch.deathLog = newest ? { dir, watch: NEVER_LISTED, file: toSourceCursor(newest) } : newDeathLogCursor(dir);
  watch.catchingUp.deathLog = !newest;
}

/** The online list as stored, back into the state machine's shape (platform is not stored). */
export function seedOnline(state: ServerState, players: readonly OnlinePlayer[]): ServerState {
  const map = new Map(players.map((p) => [p.eosId, { eosId: p.eosId, name: p.name, platform: null, status: p.state, since: p.since }] as const));
  return { ...state, players: map };
}

/** `./a//b/` and `a/./b` are `a/b`: one spelling per file, so cursors are found again. */
export function normalizePath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const joined = parts.join('/');
  if (path.startsWith('/')) return `/${joined}`;
  return parts.length === 0 ? '.' : joined;
}
