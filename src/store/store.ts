import { MongoClient } from 'mongodb';
import type { Logger } from '../logging/logger.js';
import { collectionsOf, ensureIndexes, type StoreContext } from './context.js';
import { createGuildMembership, type GuildMembership } from './guild-membership.js';
import { createGuildStore, type GuildStore } from './guild-store.js';
import { createHistoryMarks, type HistoryMarks } from './history-marks.js';
import type { SecretsKey } from './secrets.js';

export interface StoreOptions {
  /** A MongoDB connection string. Never logged as given: it may carry a password. */
  uri: string;
  dbName: string;
  secretsKey: SecretsKey;
  logger: Logger;
  /**
   * How long one operation waits for a reachable server before failing. Short, so that an outage
   * surfaces as errors the ingest writer retries (and logs once) rather than silently stalled calls.
   */
  serverSelectionTimeoutMS?: number;
}

/** The database, seen only through guild scopes. */
export interface Store {
  /** Creates the indexes (idempotent). `openStore` already ran it once. */
  ensureIndexes(): Promise<void>;
  /** Everything one Discord guild may read or change, and nothing else. */
  guild(guildId: string): GuildStore;
  /** Which guilds the bot has left, and deleting their data after the grace period. */
  readonly membership: GuildMembership;
  /** History runs in progress, continued after a restart. */
  readonly historyMarks: HistoryMarks;
  /** One round trip to the database (the readiness check); rejects when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const contexts = new WeakMap<Store, StoreContext>();

/** The store's internals, for the ingest writer and recovery inside src/store only. */
export function contextOf(store: Store): StoreContext {
  const ctx = contexts.get(store);
  if (!ctx) throw new Error('Not a store made by openStore().');
  return ctx;
}

/** Connects, creates indexes, and returns the store. Fails with a plain message when the database cannot be reached. */
export async function openStore(o: StoreOptions): Promise<Store> {
  const logger = o.logger.child({ module: 'store' });
  const client = new MongoClient(o.uri, {
    serverSelectionTimeoutMS: o.serverSelectionTimeoutMS ?? 5_000,
    appName: 'deadside-killfeed',
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    const reason = error instanceof Error ? error.name : 'unknown error';
    throw new Error(`Could not reach MongoDB (${reason}). Check MONGODB_URI and that the database is running.`, { cause: error });
  }
  const db = client.db(o.dbName);
  const ctx: StoreContext = { client, db, collections: collectionsOf(db), secretsKey: o.secretsKey, logger };
  await ensureIndexes(ctx.collections);
  const guilds = new Map<string, GuildStore>();
  const store: Store = {
    ensureIndexes: () => ensureIndexes(ctx.collections),
    guild: (guildId) => {
      let scoped = guilds.get(guildId);
      if (!scoped) {
        scoped = createGuildStore(ctx, guildId);
        guilds.set(guildId, scoped);
      }
      return scoped;
    },
    membership: createGuildMembership(ctx),
    historyMarks: createHistoryMarks(ctx),
    async ping() {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
  contexts.set(store, ctx);
  logger.debug({ dbName: o.dbName }, 'store open');
  return store;
}
