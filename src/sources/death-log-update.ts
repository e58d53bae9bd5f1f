import { newCursor, type FileCursor } from './cursor.js';
import { afterListing, listingDue, NEVER_LISTED, planDeathLogFolder, type FolderWatch } from './death-log-plan.js';
import { listDeathLogs } from './discovery.js';
import { readFileUpdate, type LogChunk } from './file-update.js';
import { baseName, joinPath, type LogSource } from './types.js';

/** Where reading a server's death-log folder stopped. Plain data: store it and pass it back. */
export interface DeathLogCursor {
  /** The folder holding the day files (`.../deathlogs/world_0`). */
  dir: string;
  watch: FolderWatch;
  /** The file being read; null before the first one. */
  file: FileCursor | null;
}

/** A cursor for a death-log folder never read. */
export function newDeathLogCursor(dir: string): DeathLogCursor {
  return { dir, watch: NEVER_LISTED, file: null };
}

export interface DeathLogUpdate {
  /** In the order to parse them: a drained file's final chunk comes before the next file's first. */
  chunks: LogChunk[];
  /**
   * The cursor of every file read this tick, in order; the last is `cursor.file`. After parsing a
   * file's chunk, set its `carry` / `nextLine` from the parser, and store them all: a file finished
   * this tick must be known as finished, or the next reader (a history run) reads its end again.
   */
  files: FileCursor[];
  cursor: DeathLogCursor;
  /**
   * Reading was more than one file behind: a whole day file (or more) went by unread, after a
   * history run that a crash cut short or a bot that was down for long. Its rows are history, not news.
   */
  backlog: boolean;
  /** Whether the last file read is the live (newest) one; null when the folder was not listed. */
  live: boolean | null;
}

/**
 * One tick for a death-log folder: a stat of the folder, a listing only when it may have gained a file,
 * then the live file's new bytes. When a newer file has appeared, the old one is read to its end and
 * finished first, then every newer file from 0. `list` lists the folder whatever its mtime says: a
 * reader catching up must know when it has reached the live file.
 */
export async function readDeathLogUpdate(
  source: LogSource, cursor: DeathLogCursor, options: { maxBytes?: number; now?: number; list?: boolean } = {},
): Promise<DeathLogUpdate> {
  const now = options.now ?? Date.now();
  const dirStat = await source.stat(cursor.dir);
  const read = options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes };
  if (options.list !== true && !listingDue(cursor.watch, dirStat.mtimeMs, now)) {
    if (cursor.file === null) return { chunks: [], files: [], cursor, backlog: false, live: null };
    const update = await readFileUpdate(source, cursor.file, read);
    return { chunks: update.chunk ? [update.chunk] : [], files: [update.cursor], cursor: { ...cursor, file: update.cursor }, backlog: false, live: null };
  }
  const listing = await listDeathLogs(source, cursor.dir);
  const watch = afterListing(cursor.watch, dirStat.mtimeMs, now);
  const plan = planDeathLogFolder(cursor.file === null ? null : baseName(cursor.file.file), listing.files.map((f) => f.name));
  const factsOf = (name: string) => {
    const found = listing.files.find((f) => f.name === name);
    return found ? { facts: { size: found.size, mtimeMs: found.mtimeMs } } : {};
  };
  const chunks: LogChunk[] = [];
  const files: FileCursor[] = [];
  let file = cursor.file;
  const queue: { cursor: FileCursor; final: boolean }[] = [];
  if (plan.kind === 'start' || plan.kind === 'continue') queue.push({ cursor: file ?? newCursor(joinPath(cursor.dir, plan.file)), final: false });
  if (plan.kind === 'rotate' && file) queue.push({ cursor: file, final: true });
  if (plan.kind === 'rotate' || plan.kind === 'vanished') {
    plan.then.forEach((name, i) => queue.push({ cursor: newCursor(joinPath(cursor.dir, name)), final: i < plan.then.length - 1 }));
  }
  for (const step of queue) {
    const update = await readFileUpdate(source, step.cursor, { ...read, final: step.final, ...factsOf(baseName(step.cursor.file)) });
    if (update.chunk) chunks.push(update.chunk);
    file = update.cursor;
    files.push(file);
    // A slice cut short by maxBytes: the rest of this file comes next tick, before any newer file.
    if (!update.complete) break;
  }
  const backlog = (plan.kind === 'rotate' || plan.kind === 'vanished') && plan.then.length > 1;
  // Listed oldest first.
  return { chunks, files, cursor: { dir: cursor.dir, watch, file }, backlog, live: file !== null && baseName(file.file) === listing.files.at(-1)?.name };
}
