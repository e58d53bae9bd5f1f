/**
 * What a tick costs when nothing was appended: source operations (each one an SFTP round trip in
 * production) and database writes, for a server watching a live death log and Deadside.log.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevMongo } from '../src/dev-mongo/index.js';
import { createServerWatch } from '../src/ingest/server-watch.js';
import { runTick, type TickDeps } from '../src/ingest/tick.js';
import { createLogger } from '../src/logging/logger.js';
import { createTaskPool } from '../src/pool/index.js';
import { productionWorkerFile, type ProductionTasks } from '../src/worker/index.js';
import { createLocalSource, type LogSource } from '../src/sources/index.js';
import { createIngestWriter, openStore, parseSecretsKey } from '../src/store/index.js';

function counting(inner: LogSource): LogSource & { ops: number } {
  const s = {
    label: inner.label, ops: 0,
    list: (d: string) => { s.ops += 1; return inner.list(d); },
    stat: (p: string) => { s.ops += 1; return inner.stat(p); },
    read: (p: string, o: Parameters<LogSource['read']>[1]) => { s.ops += 1; return inner.read(p, o); },
    readHead: (p: string, n: number) => { s.ops += 1; return inner.readHead(p, n); },
    close: () => inner.close(),
  };
  return s;
}

export async function idleTickCost(): Promise<{ ops: number; watchedFiles: number; dbWrites: number }> {
  const root = mkdtempSync(join(tmpdir(), 'killfeed-idle-'));
  const logs = join(root, 'Deadside', 'Saved');
  mkdirSync(join(logs, 'actual1', 'deathlogs', 'world_0'), { recursive: true });
  mkdirSync(join(logs, 'Logs'), { recursive: true });
  writeFileSync(join(logs, 'actual1', 'deathlogs', 'world_0', '2025.05.15-00.00.00.csv'), '2025.05.15-10.00.00;A;0002aa;B;0002bb;AK-mod;10;PS5;PS5;\n');
  writeFileSync(join(logs, 'Logs', 'Deadside.log'), 'Log file open, 05/15/25 09:00:00\n');
  const logger = createLogger({ level: 'warn', pretty: false });
  const db = await startDevMongo();
  const store = await openStore({ uri: db.uri, dbName: 'idle', secretsKey: parseSecretsKey(randomBytes(32).toString('hex')), logger });
  const writer = createIngestWriter(store, { logger });
  const pool = createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: 1, maxThreads: 1 }, logger);
  const source = counting(createLocalSource(root));
  try {
    const guild = store.guild('100000000000000002');
    const server = await guild.servers.add({ name: 'idle', localPath: root });
    const watch = createServerWatch({ target: await guild.ingest.target(server.id), name: 'idle', source, intervalMs: 10_000 });
    const deps: TickDeps = {
      writer, online: { load: async () => [], save: async () => undefined }, publish: () => undefined, maxReadBytes: 1 << 20, now: Date.now,
    };
    await pool.runIo((ctx) => runTick(deps, watch, ctx));
    // SFTP mtimes are whole seconds: the folder listing settles once its second is over.
    await new Promise((r) => setTimeout(r, 2_100));
    await pool.runIo((ctx) => runTick(deps, watch, ctx));
    const before = { ops: source.ops, writes: writesOf(db.stats().commands) };
    await pool.runIo((ctx) => runTick(deps, watch, ctx));
    return { ops: source.ops - before.ops, watchedFiles: 2, dbWrites: writesOf(db.stats().commands) - before.writes };
  } finally {
    await writer.close();
    await pool.shutdown({ deadlineMs: 1_000 });
    await store.close();
    await db.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function writesOf(commands: Record<string, number>): number {
  return ['insert', 'update', 'delete', 'findAndModify'].reduce((n, c) => n + (commands[c] ?? 0), 0);
}
