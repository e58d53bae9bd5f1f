/**
 * How one game server's reading is going, in words an admin can act on. Later shown by `/server
 * status`, `/admin queue`, the HTTP API and the dashboard.
 */
export interface ServerHealth {
  guildId: string;
  serverId: string;
  name: string;
  state: 'waiting' | 'reading' | 'ok' | 'failing' | 'stopped';
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  /** The last failure in plain words, or null after a success. */
  lastError: string | null;
  /** The failure's kind (auth, refused, timeout, host-key-changed, not-found, ...), for grouping. */
  lastErrorKind: string | null;
  consecutiveFailures: number;
  /** Seconds between the newest event read and the moment it was read (how far behind the feed is). */
  lagSeconds: number | null;
  nextTickAt: string | null;
  ticks: number;
  /** Ticks not started because the previous one was still running. */
  skippedTicks: number;
  rowsRead: number;
  malformedRows: number;
}

export function newServerHealth(guildId: string, serverId: string, name: string): ServerHealth {
  return {
    guildId, serverId, name, state: 'waiting', lastSuccessAt: null, lastAttemptAt: null, lastError: null,
    lastErrorKind: null, consecutiveFailures: 0, lagSeconds: null, nextTickAt: null, ticks: 0, skippedTicks: 0,
    rowsRead: 0, malformedRows: 0,
  };
}

/**
 * Delay before the next tick: the server's interval after a success; after failures the interval
 * doubles each time up to `capMs`, so a host that is down is not hammered yet is retried.
 */
export function nextDelayMs(intervalMs: number, consecutiveFailures: number, capMs: number, random: () => number): number {
  const base = consecutiveFailures === 0 ? intervalMs : Math.min(capMs, intervalMs * 2 ** Math.min(consecutiveFailures, 20));
  // +-10% jitter so servers added together do not fire together forever.
  return Math.max(1, Math.round(base * (0.9 + 0.2 * random())));
}
