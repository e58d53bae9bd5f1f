import type { SftpConnection } from './sftp-connection.js';

/**
 * A small pool of SFTP connections, at most `maxPerHost` for each `host:port:user`, kept open between
 * ticks and replaced when dead. Callers lease a connection for one operation at a time, so one
 * client never has more than one request of ours in flight (ssh2-sftp-client warns past 10).
 */
export interface SftpPool {
  /** A live connection for `key`, opening one with `open` when none is idle and the host has room. */
  acquire(key: string, open: () => Promise<SftpConnection>): Promise<SftpConnection>;
  /** Gives a leased connection back; `reusable: false` (timeouts, broken sessions) destroys it. */
  release(key: string, connection: SftpConnection, reusable: boolean): void;
  /** Connections open and leases waiting, per key: for the admin status page and tests. */
  snapshot(): Record<string, { idle: number; busy: number; waiting: number }>;
  /** Ends idle connections now and busy ones as they come back. */
  close(): Promise<void>;
}

export interface SftpPoolOptions {
  /** Connections per host:port:user. Game hosts often cap logins per account: keep it small. */
  maxPerHost?: number;
  /** An idle connection is closed after this long. Default 10 minutes (a few ticks). */
  idleTimeoutMs?: number;
}

interface HostSlot {
  idle: { connection: SftpConnection; timer: NodeJS.Timeout }[];
  busy: number;
  waiters: (() => void)[];
}

/** Builds a pool; the composition root owns it and closes it on shutdown. */
export function createSftpPool(options: SftpPoolOptions = {}): SftpPool {
  const maxPerHost = options.maxPerHost ?? 3;
  const idleTimeoutMs = options.idleTimeoutMs ?? 600_000;
  const slots = new Map<string, HostSlot>();
  let closed = false;
  const slotOf = (key: string): HostSlot => {
    let slot = slots.get(key);
    if (!slot) { slot = { idle: [], busy: 0, waiters: [] }; slots.set(key, slot); }
    return slot;
  };
  const wakeOne = (slot: HostSlot): void => { slot.waiters.shift()?.(); };

  const acquire = async (key: string, open: () => Promise<SftpConnection>): Promise<SftpConnection> => {
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
  };

  return {
    acquire,
    release,
    snapshot: () => Object.fromEntries([...slots].map(([key, s]) => [key, { idle: s.idle.length, busy: s.busy, waiting: s.waiters.length }])),
    close: async () => {
      closed = true;
      const ending: Promise<void>[] = [];
      for (const slot of slots.values()) {
        for (const parked of slot.idle) { clearTimeout(parked.timer); ending.push(parked.connection.end()); }
        slot.idle = [];
        for (const wake of slot.waiters.splice(0)) wake();
      }
      await Promise.all(ending);
    },
  };
}
