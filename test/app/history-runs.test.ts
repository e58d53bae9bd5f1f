import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryRuns } from '../../src/app/history-runs.js';
import type { HistoryRuns } from '../../src/discord/context.js';
import type { HistoryProgress } from '../../src/ingest/history-run.js';
import { serverKey, TickScheduler } from '../../src/ingest/scheduler.js';
import { createTaskPool, type TaskPool } from '../../src/pool/index.js';
import { createSftpPool } from '../../src/sources/index.js';
import { createIngestWriter, openStore, type GameServer, type GuildStore, type IngestWriter, type Store } from '../../src/store/index.js';
import { productionWorkerFile, type ProductionTasks } from '../../src/worker/index.js';
import { realDeathLogs, referenceFigures } from '../helpers/fixtures.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from '../store/helpers.js';

/** Polls an async check until it holds (the mark is cleared after the run's result is out). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A gate a test opens: an I/O task waiting on it holds the server's lock meanwhile. */
function holdServerLock(pool: TaskPool<ProductionTasks>, serverId: string): () => void {
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  pool.submitIo(() => gate, { label: 'hold', key: serverKey(serverId), exclusive: true });
  return open;
}

describe('history runs in the bot', () => {
  let db: TestDatabase;
  let store: Store;
  let writer: IngestWriter;
  let pool: TaskPool<ProductionTasks>;
  const logs = testLogger('info');
  const guild = (): GuildStore => store.guild(snowflake(7));
  const folders: string[] = [];
  const newPool = () => createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: 1, maxThreads: 2 }, logs.logger);
  const runsOn = (p: TaskPool<ProductionTasks>): HistoryRuns => createHistoryRuns({
    store, pool: p, writer, sftp: createSftpPool(), logger: logs.logger, config: { pollIntervalSeconds: 10 },
    scheduler: new TickScheduler({ pool: p, tick: () => Promise.reject(new Error('no ticks here')), logger: logs.logger }),
  });

  /** A paused local-folder server (no ticks) whose death-log folder holds links to the real logs `files`. */
  async function addServer(name: string, files: number[]): Promise<{ server: GameServer; link(i: number): void }> {
    const root = mkdtempSync(join(tmpdir(), 'killfeed-history-'));
    folders.push(root);
    const dir = join(root, 'deathlogs', 'world_0');
    mkdirSync(dir, { recursive: true });
    const logsOf = realDeathLogs();
    const link = (i: number): void => symlinkSync(logsOf[i]!.path, join(dir, logsOf[i]!.name));
    files.forEach(link);
    return { server: await guild().servers.add({ name, localPath: root, enabled: false }), link };
  }

  async function figures(serverId: string) {
    const totals = await guild().stats.totals(serverId);
    const players = await guild().stats.players({ serverId });
    return { rows: totals.rows, kills: totals.kills, suicides: totals.suicides, malformed: totals.malformed, players: players.length };
  }
  const reference = () => {
    const r = referenceFigures();
    return { rows: r.rows, kills: r.kills, suicides: r.suicides, malformed: r.malformed, players: r.players };
  };
  const marked = async (serverId: string) => (await store.historyMarks.list()).some((m) => m.serverId === serverId);

  beforeAll(async () => {
    db = await startTestDatabase('history-runs');
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger: logs.logger });
    writer = createIngestWriter(store, { logger: logs.logger, flushMs: 50 });
    pool = newPool();
  });
  afterAll(async () => {
    await writer.close();
    await pool.shutdown({ deadlineMs: 2_000 });
    await store.close();
    await db.dispose();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  it('GIVEN a server\'s four real death logs THEN a run reads every row once, reports progress, and leaves no mark behind', async () => {
    const { server } = await addServer('full', [0, 1, 2, 3]);
    const runs = runsOn(pool);
    const { started, run } = runs.start(guild(), server, { fresh: false, channelId: snowflake(99) });
    const seen: HistoryProgress[] = [];
    run.onProgress((p) => seen.push(p));
    const report = await run.result;
    expect(started).toBe(true);
    expect({ files: report.files, rows: report.rows }).toEqual({ files: 4, rows: referenceFigures().rows });
    expect(await figures(server.id)).toEqual(reference());
    expect(seen.at(-1)).toMatchObject({ filesDone: 4, filesTotal: 4, rowsDone: referenceFigures().rows });
    await eventually(async () => !(await marked(server.id)), 'the mark cleared');
    expect(pool.historyOf({ label: 'history-run', key: serverKey(server.id) })[0]).toMatchObject({ priority: 'LOW', meta: { guildId: guild().guildId, serverId: server.id, server: 'full' } });
  });

  it('GIVEN a run waiting for its turn THEN a second request gets that run, never a second one, and a cancel ends it with its mark', async () => {
    const { server } = await addServer('twice', [0, 1]);
    const runs = runsOn(pool);
    const release = holdServerLock(pool, server.id);
    const first = runs.start(guild(), server, { fresh: true });
    const second = runs.start(guild(), server, { fresh: false });
    expect([first.started, second.started]).toEqual([true, false]);
    expect(second.run).toBe(first.run);
    expect(pool.activeTasks().filter((t) => t.label === 'history-run' && t.key === serverKey(server.id))).toHaveLength(1);
    await eventually(() => marked(server.id), 'the run marked');
    expect((await store.historyMarks.list()).find((m) => m.serverId === server.id)).toMatchObject({ fresh: true, channelId: null });

    expect(first.run.cancel()).toBe(true);
    await expect(first.run.result).rejects.toMatchObject({ kind: 'cancelled' });
    await eventually(async () => !(await marked(server.id)) && runs.running(server.id) === undefined, 'the cancelled run forgotten');
    expect((await figures(server.id)).rows).toBe(0);
    release();
  });

  it('GIVEN a run cut short by a stop THEN the next start continues it from the durable cursors and the figures equal the reference', async () => {
    const { server, link } = await addServer('restart', [0, 1]);
    await runsOn(pool).start(guild(), server, { fresh: false }).run.result;
    const rowsOf = referenceFigures().rowsPerFile;
    const logsOf = realDeathLogs();
    expect((await figures(server.id)).rows).toBe(rowsOf.get(logsOf[0]!.name)! + rowsOf.get(logsOf[1]!.name)!);
    link(2);
    link(3);

    const stopping = newPool();
    const before = runsOn(stopping);
    holdServerLock(stopping, server.id);
    const cut = before.start(guild(), server, { fresh: false, channelId: snowflake(98) });
    await eventually(() => marked(server.id), 'the run marked');
    await stopping.forceShutdown();
    await expect(cut.run.result).rejects.toMatchObject({ kind: 'interrupted' });
    await eventually(() => Promise.resolve(before.running(server.id) === undefined), 'the cut run settled');
    expect(await marked(server.id)).toBe(true);

    const after = runsOn(pool);
    expect(await after.resumeInterrupted()).toBe(1);
    const report = await after.running(server.id)!.result;
    expect({ filesSkipped: report.filesSkipped, rows: report.rows }).toEqual({ filesSkipped: 2, rows: rowsOf.get(logsOf[2]!.name)! + rowsOf.get(logsOf[3]!.name)! });
    expect(await figures(server.id)).toEqual(reference());
    await eventually(async () => !(await marked(server.id)), 'the mark cleared');
  });

  it('GIVEN a mark whose server was removed meanwhile THEN nothing is continued and the mark goes', async () => {
    const { server } = await addServer('gone', [0]);
    await store.historyMarks.set({ guildId: guild().guildId, serverId: server.id, fresh: false, startedAt: new Date(), channelId: null });
    await guild().servers.remove(server.id);
    expect(await runsOn(pool).resumeInterrupted()).toBe(0);
    expect(await marked(server.id)).toBe(false);
  });

  it('GIVEN a mark in a guild the bot left THEN it is not continued, and it goes when the guild\'s data is deleted', async () => {
    const { server } = await addServer('left', [0]);
    await store.historyMarks.set({ guildId: guild().guildId, serverId: server.id, fresh: false, startedAt: new Date(), channelId: null });
    await store.membership.markLeft(guild().guildId, new Date(Date.now() - 1_000));
    expect(await runsOn(pool).resumeInterrupted()).toBe(0);
    expect(await marked(server.id)).toBe(true);
    expect(await store.membership.deleteLeftBefore(new Date())).toEqual([guild().guildId]);
    expect(await marked(server.id)).toBe(false);
  });
});
