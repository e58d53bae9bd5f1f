import { newCursor, type FileCursor } from './cursor.js';
import { readFileUpdate, type LogChunk } from './file-update.js';
import { planServerLogRead } from './read-plan.js';
import type { LogSource } from './types.js';

export interface ServerLogUpdate {
  chunk: LogChunk | null;
  /** After parsing, set `carry` / `nextLine` from the parser and store it. */
  cursor: FileCursor;
  /** The log restarted (shrunk or a new `Log file open`): clear the server's online players and queue. */
  resetOnlineState: boolean;
}

/** A cursor for a `Deadside.log` never read. */
export function newServerLogCursor(path: string): FileCursor {
  return newCursor(path);
}

/** One tick for `Deadside.log`: one stat when idle, only the appended bytes otherwise. */
export async function readServerLogUpdate(source: LogSource, cursor: FileCursor, options: { maxBytes?: number } = {}): Promise<ServerLogUpdate> {
  const update = await readFileUpdate(source, cursor, { ...options, plan: planServerLogRead });
  return { chunk: update.chunk, cursor: update.cursor, resetOnlineState: update.plan.action === 'restart' };
}
