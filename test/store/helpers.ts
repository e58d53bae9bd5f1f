import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';
import { createLogger, LogSink, type Logger } from '../../src/logging/logger.js';
import type { GuildStore, IngestTarget, Store } from '../../src/store/index.js';
import { parseSecretsKey, type SecretsKey } from '../../src/store/secrets.js';

/**
 * Where a test file's data goes: a real MongoDB when MONGODB_URI is set, otherwise the project's
 * wire-compatible dev-mongo. Either way a fresh database name per file, dropped afterwards.
 */
export interface TestDatabase {
  uri: string;
  dbName: string;
  /** Present only against dev-mongo. */
  dev: DevMongo | null;
  /** Another fresh database name on the same server (dropped with the first). */
  another(label: string): string;
  dispose(): Promise<void>;
}

export async function startTestDatabase(label: string): Promise<TestDatabase> {
  const external = process.env.MONGODB_URI;
  const dev = external ? null : await startDevMongo();
  const uri = external ?? dev?.uri ?? '';
  const names: string[] = [];
  const fresh = (l: string): string => {
    const name = `killfeed_test_${l}_${randomBytes(4).toString('hex')}`;
    names.push(name);
    return name;
  };
  const dbName = fresh(label);
  return {
    uri, dbName, dev, another: fresh,
    async dispose() {
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        for (const name of names) await client.db(name).dropDatabase();
      } finally {
        await client.close();
        await dev?.close();
      }
    },
  };
}

/** A logger whose lines the test can read back. */
export function testLogger(level = 'debug'): { logger: Logger; sink: LogSink } {
  const sink = new LogSink();
  return { logger: createLogger({ level, pretty: false, destination: sink }), sink };
}

export function freshKey(): SecretsKey {
  return parseSecretsKey(randomBytes(32).toString('hex'));
}

/** Realistic Discord ids (17-19 digits). */
export function snowflake(n: number): string {
  return `${112233445566778800n + BigInt(n)}`;
}

/** A game server (SFTP, made-up host) in guild snowflake(1) of `store`, and its ingest target. */
export async function serverIn(store: Store, name = 'Main'): Promise<{ guild: GuildStore; target: IngestTarget }> {
  const guild = store.guild(snowflake(1));
  const server = await guild.servers.add({ name, host: 'h', username: 'u', password: 'p' });
  return { guild, target: await guild.ingest.target(server.id) };
}
