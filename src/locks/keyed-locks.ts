import { Mutex } from 'async-mutex';

/** Releases a lock taken with {@link KeyedLocks.acquire}. Calling it twice is harmless. */
export type ReleaseLock = () => void;

/**
 * Mutual exclusion per key (a game server, a guild): two holders of the same key never overlap,
 * different keys never wait for each other.
 */
export interface KeyedLocks {
  /** Waits for the key's lock, then holds it until `release` is called. */
  acquire(key: string): Promise<ReleaseLock>;
  /** Keys currently held or waited on; idle keys are forgotten, so this does not grow with every guild seen. */
  readonly size: number;
}

interface Entry {
  mutex: Mutex;
  /** Holders plus waiters: the entry is evicted when this drops to zero. */
  users: number;
}

/** Builds an empty set of per-key locks (async-mutex underneath, one mutex per busy key). */
export function createKeyedLocks(): KeyedLocks {
  const entries = new Map<string, Entry>();

  function enter(key: string): Entry {
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = { mutex: new Mutex(), users: 0 };
      entries.set(key, entry);
    }
    entry.users += 1;
    return entry;
  }

  function leave(key: string, entry: Entry): void {
    entry.users -= 1;
    // Reference counting rather than a sweep timer: the entry goes the moment nobody needs it.
    if (entry.users === 0 && entries.get(key) === entry) entries.delete(key);
  }

  async function acquire(key: string): Promise<ReleaseLock> {
    const entry = enter(key);
    let unlock: ReleaseLock;
    try {
      unlock = await entry.mutex.acquire();
    } catch (error) {
      leave(key, entry);
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unlock();
      leave(key, entry);
    };
  }

  return {
    acquire,
    get size() {
      return entries.size;
    },
  };
}
