/** Death-log file names: one per day (or server start), `YYYY.MM.DD-HH.MM.SS.csv`. */
export const DEATH_LOG_NAME = /^\d{4}\.\d{2}\.\d{2}-\d{2}\.\d{2}\.\d{2}\.csv$/;

/** Which death-log files to read this tick, decided from the file names alone. */
export type DeathLogFolderPlan =
  /** No death log exists yet. */
  | { kind: 'empty' }
  /** No file was being read: begin on the live (newest) one at 0. */
  | { kind: 'start'; file: string }
  /** The file being read is still the newest: keep reading it. */
  | { kind: 'continue'; file: string }
  /**
   * Newer files appeared: read `drain` to its end and finish it (it will never grow again), then each
   * of `then` from 0, in order; the last of `then` is the live file.
   */
  | { kind: 'rotate'; drain: string; then: string[] }
  /** The file being read is gone; go on with the files newer than it (none: wait for one). */
  | { kind: 'vanished'; file: string; then: string[] };

/**
 * Pure: compares the name being read with the names present. `names` may be unsorted and may hold other
 * files; only death-log names count, ordered by name, which is also time order.
 */
export function planDeathLogFolder(current: string | null, names: readonly string[]): DeathLogFolderPlan {
  const logs = names.filter((n) => DEATH_LOG_NAME.test(n)).sort();
  const live = logs.at(-1);
  if (live === undefined) return current === null ? { kind: 'empty' } : { kind: 'vanished', file: current, then: [] };
  if (current === null) return { kind: 'start', file: live };
  if (current === live) return { kind: 'continue', file: live };
  const newer = logs.filter((n) => n > current);
  if (!logs.includes(current)) return { kind: 'vanished', file: current, then: newer };
  return { kind: 'rotate', drain: current, then: newer };
}

/** What the bot remembers about the death-log folder itself, to list it only when it may have changed. */
export interface FolderWatch {
  /** The folder's modification time at the last listing (null: never listed). */
  dirMtimeMs: number | null;
  /** When a listing first saw that mtime, by the bot's clock (ms). */
  firstSeenAt: number;
  /** A listing made long enough after `firstSeenAt` saw the same mtime: nothing can hide behind it. */
  confirmed: boolean;
  /** When the last listing was made, by the bot's clock (ms). */
  listedAt: number;
}

export const NEVER_LISTED: FolderWatch = Object.freeze({ dirMtimeMs: null, firstSeenAt: 0, confirmed: false, listedAt: 0 });

/** SFTP reports whole seconds; two seconds after an mtime was first seen, its second is surely over. */
const SETTLE_MS = 2_000;

/**
 * Whether the folder must be listed this tick. A new file changes the folder's mtime, so a steady,
 * confirmed mtime means no new file. Guards: a file created later within the same (whole) second as a
 * listing leaves the mtime as it was, hence a confirming listing once that second is surely over; and
 * some file systems never touch a folder's mtime, hence a listing at least every `maxAgeMs`.
 */
export function listingDue(watch: FolderWatch, dirMtimeMs: number, now: number, maxAgeMs = 600_000): boolean {
  return watch.dirMtimeMs !== dirMtimeMs || !watch.confirmed || now - watch.listedAt >= maxAgeMs;
}

/** The watch after listing, at `now`, a folder whose mtime is `dirMtimeMs`. */
export function afterListing(watch: FolderWatch, dirMtimeMs: number, now: number): FolderWatch {
  if (watch.dirMtimeMs !== dirMtimeMs) return { dirMtimeMs, firstSeenAt: now, confirmed: false, listedAt: now };
  return { dirMtimeMs, firstSeenAt: watch.firstSeenAt, confirmed: now - watch.firstSeenAt >= SETTLE_MS, listedAt: now };
}
