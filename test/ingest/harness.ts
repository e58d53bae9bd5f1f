import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Feed, type FeedItem } from '../../src/ingest/feed.js';
import { serverKey } from '../../src/ingest/scheduler.js';
import { createServerWatch, type ServerWatch } from '../../src/ingest/server-watch.js';
import { runTick, type TickDeps } from '../../src/ingest/tick.js';
import { storeTickDeps } from '../../src/ingest/store-tick-deps.js';
import { createTaskPool, type TaskPool } from '../../src/pool/index.js';
import { productionWorkerFile, type ProductionTasks } from '../../src/worker/index.js';
import { createLocalSource, type LogSource } from '../../src/sources/index.js';
import { createIngestWriter, openStore, type IngestWriter, type Store } from '../../src/store/index.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from '../store/helpers.js';

/**
 * The real data path in one process: dev-mongo (or MONGODB_URI), the store and its writer, the
 * production worker pool, and game-server folders on disk read through the local source.
 */
export interface Pipeline {
  db: TestDatabase;
  store: Store;
  writer: IngestWriter;
  pool: TaskPool<ProductionTasks>;
  feed: Feed;
  published: FeedItem[];
  deps: TickDeps;
  guildId: string;
  logs: ReturnType<typeof testLogger>;
  /** A game server with a folder of its own, registered in the store. */
  addServer(name: string, layout?: 'host' | 'saved'): Promise<TestServer>;
  /**
   * The same, with the folder placed under `root` and read through `source(folder)` instead of the
   * local source (e.g. an SFTP source whose login directory is that folder's parent).
   */
  addServerAt(name: string, root: string, source: (relativeRoot: string) => LogSource, layout?: 'host' | 'saved'): Promise<TestServer>;
  tick(server: TestServer): ReturnType<typeof runTick>;
  close(): Promise<void>;
}

export interface TestServer {
  watch: ServerWatch;
  root: string;
  deathLogDir: string;
  serverLog: string;
  /** Appends text to a day file in the death-log folder (creating it). */
  appendDeathLog(name: string, text: string): void;
  appendServerLog(text: string): void;
  rewriteServerLog(text: string): void;
}

export async function startPipeline(label: string, o: { flushMs?: number } = {}): Promise<Pipeline> {
  const db = await startTestDatabase(label);
  const logs = testLogger('info');
  const store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger: logs.logger });
  const writer = createIngestWriter(store, { logger: logs.logger, flushMs: o.flushMs ?? 50 });
  const pool = createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: 1, maxThreads: 2, interactiveShare: 0 }, logs.logger);
  const feed = new Feed();
  const published: FeedItem[] = [];
  feed.subscribe((item) => published.push(item));
  const guildId = snowflake(Math.floor(Math.random() * 1000));
  const guild = store.guild(guildId);
  const deps = storeTickDeps(store, writer, feed);
  const roots: string[] = [];
  const sources: LogSource[] = [];
  const addServerAt: Pipeline['addServerAt'] = async (name, root, makeSource, layout = 'host') => {
    const relative = layout === 'host' ? `1.2.3.4_${name}` : join('Deadside', 'Saved');
    const base = join(root, relative);
    const deathLogDir = join(base, 'actual1', 'deathlogs', 'world_0');
    const serverLog = join(base, 'Logs', 'Deadside.log');
    mkdirSync(deathLogDir, { recursive: true });
    mkdirSync(join(base, 'Logs'), { recursive: true });
    const record = await guild.servers.add({ name, host: '127.0.0.1', username: 'game', password: 'not-used-here' });
    const source = makeSource(root);
    sources.push(source);
    const watch = createServerWatch({ target: await guild.ingest.target(record.id), name, source, intervalMs: 1_000 });
    return {
      watch, root, deathLogDir, serverLog,
      appendDeathLog: (file, text) => appendFileSync(join(deathLogDir, file), text),
      appendServerLog: (text) => appendFileSync(serverLog, text),
      rewriteServerLog: (text) => writeFileSync(serverLog, text),
    };
  };
  return {
    db, store, writer, pool, feed, published, deps, guildId, logs, addServerAt,
    async addServer(name, layout = 'host') {
      const root = mkdtempSync(join(tmpdir(), 'killfeed-server-'));
      roots.push(root);
      return addServerAt(name, root, () => createLocalSource(root), layout);
    },
    // The scheduler's key: a tick never runs beside a history run of the same server.
    tick: (server) => pool.runIo((ctx) => runTick(deps, server.watch, ctx), { label: 'tick', key: serverKey(server.watch.target.serverId), exclusive: true }),
    async close() {
      await writer.close();
      await pool.shutdown({ deadlineMs: 2_000 });
      for (const s of sources) await s.close();
      await store.close();
      await db.dispose();
      for (const r of roots) rmSync(r, { recursive: true, force: true });
    },
  };
}

/** Death-log rows in the 9-field format. */
export function row(time: string, killer: [string, string] | null, victim: [string, string], weapon = 'AK-mod', distance = 25): string {
  return `${time};${killer?.[0] ?? ''};${killer?.[1] ?? ''};${victim[0]};${victim[1]};${weapon};${distance};PS5;XSX;\n`;
}

export const ALICE: [string, string] = ['Alice', '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa'];
export const BOB: [string, string] = ['Bob', '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb'];
export const CARL: [string, string] = ['Carl', '0002cccccccccccccccccccccccccccc'];
