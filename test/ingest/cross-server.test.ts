import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { runHistory, type HistoryProgress } from '../../src/ingest/history-run.js';
import { TickScheduler } from '../../src/ingest/scheduler.js';
import { createServerWatch } from '../../src/ingest/server-watch.js';
import { runTick } from '../../src/ingest/tick.js';
import { ALICE, BOB, row, startPipeline, type Pipeline, type TestServer } from './harness.js';

/** Big enough that server B's history run lasts several seconds on this machine. */
const days = generateDeathLogHistory({ seed: 5, days: 4, rowsPerDay: 40_000, players: 2_000 });
const ROWS = days.reduce((n, d) => n + d.rows, 0);
const TICKS = 5;

describe('servers written independently', () => {
  let p: Pipeline;
  // The writer's own timer as in production: B's batches grow until they close, as they would.
  beforeAll(async () => { p = await startPipeline('cross-server', { flushMs: 2_000 }); });
  afterAll(async () => { await p.close(); });

  it('GIVEN a long history run on server B THEN server A\'s ticks keep landing their rows while it runs', async () => {
    const a = await p.addServer('alpha');
    const b = await p.addServer('bravo');
    for (const d of days) b.appendDeathLog(d.name, d.text);
    const file = '2025.05.15-00.00.00.csv';
    a.appendDeathLog(file, row('2025.05.15-10.00.00', ALICE, BOB));
    await p.tick(a); // the first tick reads the file silently; the ones below are live
    const rowsOf = async (s: TestServer): Promise<number> => (await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId)).rows;

    let bWriting!: () => void;
    const bStarted = new Promise<void>((resolve) => { bWriting = resolve; });
    let bRunning = true;
    const run = history(p, b, (x) => { if ((x.rowsDone ?? 0) > 0) bWriting(); }).finally(() => { bRunning = false; });
    await bStarted;
    // Live ticks of A while B's slices keep arriving at the writer: each must land on its own.
    let landed = 0;
    for (let i = 1; i <= TICKS && bRunning; i += 1) {
      a.appendDeathLog(file, row(`2025.05.15-10.0${i}.00`, ALICE, BOB));
      expect((await p.tick(a)).rows).toBe(1);
      if (!bRunning) break;
      expect(await rowsOf(a)).toBe(1 + i);
      landed = i;
    }
    const report = await run;
    expect(landed, 'A\'s ticks that landed while B\'s history run was still running').toBe(TICKS);
    expect(report.rows).toBe(ROWS);
    expect(await rowsOf(b)).toBe(ROWS);
  }, 180_000);

  it('GIVEN a watched server removed from the scheduler THEN the writer keeps nothing for it', async () => {
    const c = await p.addServer('charlie');
    c.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    const scheduler = new TickScheduler({ pool: p.pool, tick: (watch, ctx) => runTick(p.deps, watch, ctx), logger: p.logs.logger, forget: (target) => p.writer.forget(target) });
    scheduler.add(c.watch);
    expect((await scheduler.tickNow(c.watch.target.serverId)).rows).toBe(1);
    const held = p.writer.serversHeld();
    scheduler.remove(c.watch.target.serverId);
    await vi.waitFor(() => expect(p.writer.serversHeld()).toBe(held - 1));
    scheduler.stop();
  });

  it('GIVEN a server removed while its tick is still reading THEN the writer keeps nothing for it once the tick ends', async () => {
    const d = await p.addServer('delta');
    d.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    const scheduler = new TickScheduler({ pool: p.pool, tick: (watch, ctx) => runTick(p.deps, watch, ctx), logger: p.logs.logger, forget: (target) => p.writer.forget(target) });
    // The tick's reads wait at a gate, as on a slow SFTP link, so the removal comes mid-tick.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    let reading!: () => void;
    const started = new Promise<void>((resolve) => { reading = resolve; });
    const source = d.watch.source;
    const read = source.read.bind(source);
    const held = p.writer.serversHeld();
    scheduler.add(createServerWatch({ target: d.watch.target, name: 'delta', intervalMs: 60_000,
      source: Object.assign(Object.create(source) as typeof source, { read: async (...args: Parameters<typeof read>) => { reading(); await gate; return read(...args); } }) }));
    const tick = scheduler.tickNow(d.watch.target.serverId);
    await started;
    scheduler.remove(d.watch.target.serverId);
    open();
    expect((await tick).rows).toBe(1);
    await vi.waitFor(() => expect(p.writer.serversHeld()).toBe(held));
    scheduler.stop();
  });
});

function history(p: Pipeline, s: TestServer, onProgress: (x: HistoryProgress) => void) {
  return p.pool.submitIo((ctx) => runHistory({ writer: p.writer, now: Date.now }, s.watch, ctx, {
    fresh: true, finalizeNewest: true, progressEveryMs: 0, onProgress,
  }), { label: 'history', key: `server:${s.watch.target.serverId}`, exclusive: true, priority: 'LOW' }).result;
}
