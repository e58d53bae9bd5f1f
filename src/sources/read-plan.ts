import { FINGERPRINT_BYTES, fingerprintLength, headMatches, type FileCursor } from './cursor.js';

/** Why a file is read again from its first byte. */
export type RestartReason =
  /** Smaller than what was already read: truncated, or a new file took its place. */
  | 'shrunk'
  /** Same size or larger, but its first bytes changed: a different file under the same name. */
  | 'replaced'
  /** `Deadside.log` begins with a new `Log file open` line: the game server restarted. */
  | 'new-session';

/** What to do with one watched file this tick. */
export type FilePlan =
  /** Nothing new: no download. */
  | { action: 'unchanged' }
  /** Something changed; the first `bytes` bytes are needed to tell an append from a replacement. */
  | { action: 'need-head'; bytes: number }
  /** Read from `start` (the stored offset) to the end. */
  | { action: 'read'; start: number }
  /** Read from 0 with a fresh parser: drop the carry, count lines from 1. */
  | { action: 'restart'; reason: RestartReason; detail: string };

export interface FileFacts {
  size: number;
  mtimeMs: number;
}

/**
 * Decides the next step for one file from its cursor and a fresh stat (plus its head, when asked
 * for). Pure: the caller does the I/O. An unchanged file needs only the stat.
 */
export function planFileRead(cursor: FileCursor, now: FileFacts, head?: Uint8Array): FilePlan {
  if (now.size < cursor.offset) {
    return { action: 'restart', reason: 'shrunk', detail: `the file is now ${now.size} bytes, fewer than the ${cursor.offset} already read` };
  }
  const changed = now.size !== cursor.size || now.mtimeMs !== cursor.mtimeMs;
  if (!changed) return cursor.offset < now.size ? { action: 'read', start: cursor.offset } : { action: 'unchanged' };
  if (fingerprintLength(cursor.fingerprint) > 0) {
    if (head === undefined) return { action: 'need-head', bytes: Math.min(FINGERPRINT_BYTES, now.size) };
    if (!headMatches(cursor.fingerprint, head)) {
      return { action: 'restart', reason: 'replaced', detail: 'its first bytes differ from those of the file read before' };
    }
  }
  return cursor.offset < now.size ? { action: 'read', start: cursor.offset } : { action: 'unchanged' };
}

/**
 * The same decision for `Deadside.log`, where a replaced head that opens with `Log file open` means the
 * game server restarted. Every restart of this file means the server's online state must be reset.
 */
export function planServerLogRead(cursor: FileCursor, now: FileFacts, head?: Uint8Array): FilePlan {
  const plan = planFileRead(cursor, now, head);
  if (plan.action === 'restart' && plan.reason === 'replaced' && head !== undefined && startsWithLogOpen(head)) {
    return { action: 'restart', reason: 'new-session', detail: 'it starts with a new "Log file open" line' };
  }
  return plan;
}

const LOG_OPEN = new TextEncoder().encode('Log file open');

function startsWithLogOpen(head: Uint8Array): boolean {
  // Tolerate a UTF-8 byte order mark before the first line.
  const from = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return LOG_OPEN.every((byte, i) => head[from + i] === byte);
}
