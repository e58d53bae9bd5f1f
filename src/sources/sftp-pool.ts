import type { SftpConnection } from './sftp-connection.js';

/**
 * A small pool of SFTP connections, at most `maxPerHost` for each `host:port:user`, kept open between
 * ticks and replaced when dead. Callers lease a connection for one operation at a time, so one
 * client never has more than one request of ours in flight (ssh2-sftp-client warns past 10).
 * Across every account on one `host:port`, at most `maxOpsPerHost` leases are out at once: a game
 * host often carries many servers, each with its own login, and fast polling of busy ones must not
 * add up to a flood on that one machine.
 */
export interface SftpPool {
  /** A live connection for `key`, opening one with `open` when none is idle and the host has room. */
  acquire(key: string, open: () => Promise<SftpConnection>): Promise<SftpConnection>;
  /** Gives a leased connection back; `reusable: false` (timeouts, broken sessions) destroys it. */
  release(key: string, connection: SftpConnection, reusable: boolean): void;
  /** Connections open and leases waiting, per key: for the admin status page and tests. */
  snapshot(): Record<string, { idle: number; busy: number; waiting: number }>;
  /** Operations running and waiting per `host:port`, across its accounts. */
  hostSnapshot(): Record<string, { busy: number; waiting: number }>;
  /** Ends idle connections now and busy ones as they come back. */
  close(): Promise<void>;
}

export interface SftpPoolOptions {
  /** Connections per host:port:user. Game hosts often cap logins per account: keep it small. */
  maxPerHost?: number;
  /** An idle connection is closed after this long. Default 10 minutes (a few ticks). */
  idleTimeoutMs?: number;
  /**
   * Operations at once on one `host:port`, whatever the account. Default 8: several servers'
   * reads overlap (a tick is a few small operations), yet a host with 50 servers sees at most 8
   * requests of ours at a time, below OpenSSH's default of 10 unauthenticated connections.
   */
  maxOpsPerHost?: number;
}

/** Leases of one host:port, across its accounts. */
interface HostLimit {
  busy: number;
  waiters: (() => void)[];
}

/** `host:port` of a pool key `host:port:user:tag` (sftp-source.ts); user names hold no `:`, hosts may (IPv6). */
export function hostOfKey(key: string): string {
  const parts = key.split(':');
  return parts.length >= 4 ? parts.slice(0, -2).join(':') : key;
}

interface HostSlot {
  idle: { connection: SftpConnection; timer: NodeJS.Timeout }[];
  busy: number;
  waiters: (() => void)[];
}

/** Builds a pool; the composition root owns it and closes it on shutdown. */
export function createSftpPool(options: SftpPoolOptions = {}): SftpPool {
  const maxPerHost = options.maxPerHost ?? 3;
  const maxOpsPerHost = options.maxOpsPerHost ?? 8;
  const hosts = new Map<string, HostLimit>();
  const idleTimeoutMs = options.idleTimeoutMs ?? 600_000;
  const slots = new Map<string, HostSlot>();
  let closed = false;
  const slotOf = (key: string): HostSlot => {
    let slot = slots.get(key);
    if (!slot) { slot = { idle: [], busy: 0, waiters: [] }; slots.set(key, slot); }
    return slot;
  };
  const wakeOne = (slot: HostSlot): void => { slot.waiters.shift()?.(); };

  const hostLimitOf = (host: string): HostLimit => {
    let limit = hosts.get(host);
    if (!limit) { limit = { busy: 0, waiters: [] }; hosts.set(host, limit); }
    return limit;
  };
  const takeHost = async (host: string): Promise<void> => {
    const limit = hostLimitOf(host);
    while (limit.busy >= maxOpsPerHost) {
      await new Promise<void>((resolve) => limit.waiters.push(resolve));
      if (closed) throw new Error('The SFTP connection pool is closed: the bot is shutting down.');
    }
    limit.busy += 1;
  };
  const giveHost = (host: string): void => {
    const limit = hostLimitOf(host);
    limit.busy = Math.max(0, limit.busy - 1);
    limit.waiters.shift()?.();
  };

  const acquire = async (key: string, open: () => Promise<SftpConnection>): Promise<SftpConnection> => {
    if (closed) throw new Error('The SFTP connection pool is closed: the bot is shutting down.');
    const host = hostOfKey(key);
    await takeHost(host);
    try {
      return await acquireConnection(key, open);
    } catch (error) {
      giveHost(host);
      throw error;
    }
  };

  const acquireConnection = async (key: string, open: () => Promise<SftpConnection>): Promise<SftpConnection> => {
    for (;;) {
      if (closed) throw new Error('The SFTP connection pool is closed: the bot is shutting down.');
      const slot = slotOf(key);
      const parked = slot.idle.pop();
      if (parked) {
        clearTimeout(parked.timer);
        if (parked.connection.alive) { slot.busy += 1; return parked.connection; }
        parked.connection.destroy();
        continue;
      }
      if (slot.busy < maxPerHost) {
        slot.busy += 1;
        try {
          return await open();
        } catch (error) {
          slot.busy -= 1;
          wakeOne(slot);
          throw error;
        }
      }
      await new Promise<void>((resolve) => slot.waiters.push(resolve));
    }
  };

  const release = (key: string, connection: SftpConnection, reusable: boolean): void => {
    const slot = slotOf(key);
    slot.busy = Math.max(0, slot.busy - 1);
    if (reusable && !closed && connection.alive) {
      const timer = setTimeout(() => {
        slot.idle = slot.idle.filter((p) => p.connection !== connection);
        void connection.end();
      }, idleTimeoutMs);
      timer.unref();
      slot.idle.push({ connection, timer });
    } else if (reusable && connection.alive) {
      void connection.end();
    } else {
      connection.destroy();
    }
    wakeOne(slot);
    giveHost(hostOfKey(key));
  };

  return {
    acquire,
    release,
    snapshot: () => Object.fromEntries([...slots].map(([key, s]) => [key, { idle: s.idle.length, busy: s.busy, waiting: s.waiters.length }])),
    hostSnapshot: () => Object.fromEntries([...hosts].map(([host, h]) => [host, { busy: h.busy, waiting: h.waiters.length }])),
    close: async () => {
      closed = true;
      const ending: Promise<void>[] = [];
      for (const slot of slots.values()) {
        for (const parked of slot.idle) { clearTimeout(parked.timer); ending.push(parked.connection.end()); }
        slot.idle = [];
        for (const wake of slot.waiters.splice(0)) wake();
      }
      for (const limit of hosts.values()) for (const wake of limit.waiters.splice(0)) wake();
      await Promise.all(ending);
    },
  };
}
