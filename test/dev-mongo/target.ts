/**
 * Where the behaviour tests run: a fresh dev-mongo by default, or the real MongoDB named by
 * MONGODB_URI (the check that dev-mongo behaves like the real server). Each caller gets its own
 * database, dropped on `close()`.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';

export interface Target {
  client: MongoClient;
  db: Db;
  /** Undefined when running against a real server. */
  devMongo: DevMongo | undefined;
  close(): Promise<void>;
}

/** A fresh database (random name) on a new dev-mongo, or on MONGODB_URI when set; `close()` drops it. */
export async function openTarget(): Promise<Target> {
  const devMongo = process.env.MONGODB_URI ? undefined : await startDevMongo({ ttlSweepMs: 100 });
  const client = new MongoClient(process.env.MONGODB_URI ?? (devMongo as DevMongo).uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const db = client.db(`devmongo_${randomUUID().slice(0, 8)}`);
  return {
    client,
    db,
    devMongo,
    async close() {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
        await devMongo?.close();
      }
    },
  };
}

/** An error as the tests inspect it: `code`, `keyValue`, `originalError`... */
export type Rejection = Error & { [field: string]: unknown };

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (err) {
    return err as Rejection;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
