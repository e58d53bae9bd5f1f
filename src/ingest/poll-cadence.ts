/**
 * How often a game server is read: fast while it has news, its own interval when it is quiet.
 * A kill tends to come with more (a fight, a raid), so a server whose last read found rows or
 * announcements is read again in seconds; one that stays quiet backs off by doubling, step by step,
 * to the interval its admin set, so idle hosts are not polled harder than they asked for.
 */

/** The settings of one server's cadence. */
export interface PollCadence {
  /** The admin's interval for the server: the slowest it is ever read while healthy. */
  intervalMs: number;
  /** How often a busy server is read (default 2 s); never slower than the interval. */
  fastMs: number;
  /** A server stays "busy" this long after its last read with news (default 1 minute). */
  activeWindowMs: number;
}

export const FAST_POLL_MS = 2_000;
export const ACTIVE_WINDOW_MS = 60_000;

/** What the cadence remembers between reads. */
export interface CadenceState {
  /** When a read last found rows or announcements (ms); null: not since the server was added. */
  lastNewsAt: number | null;
  /** The wait chosen last time (before jitter). */
  lastWaitMs: number;
}

/** The first state of a server: as if it had been quiet, so it starts at its own interval. */
export function quietCadence(c: PollCadence): CadenceState {
  return { lastNewsAt: null, lastWaitMs: c.intervalMs };
}

/** The wait before the next read of a healthy server, at `now` (before jitter). */
export function nextWaitMs(c: PollCadence, state: CadenceState, now: number): number {
  const fast = Math.min(c.fastMs, c.intervalMs);
  if (state.lastNewsAt !== null && now - state.lastNewsAt <= c.activeWindowMs) return fast;
  return Math.min(c.intervalMs, Math.max(fast, state.lastWaitMs * 2));
}

/** Whether a read brought something a member would see: rows of the death log or a server announcement. */
export function hadNews(report: { rows: number; announcements: number }): boolean {
  return report.rows > 0 || report.announcements > 0;
}
