import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHistory, type HistoryProgress } from '../../src/ingest/history-run.js';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import type { TaskProgress } from '../../src/pool/index.js';
import { startPipeline, type Pipeline, type TestServer } from './harness.js';

const days = generateDeathLogHistory({ seed: 99, days: 3, rowsPerDay: 6_000, players: 120, format: 'mixed' });
const ROWS = days.reduce((n, d) => n + d.rows, 0);

function history(p: Pipeline, s: TestServer, o: { fresh: boolean; sliceBytes?: number; onProgress?: (x: HistoryProgress) => void; cancelAfter?: number }) {
  const handle = p.pool.submitIo((ctx) => runHistory({ writer: p.writer, now: Date.now }, s.watch, ctx, {
    fresh: o.fresh, finalizeNewest: false, sliceBytes: o.sliceBytes ?? 64 * 1024, progressEveryMs: 0, ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  }), {
    label: 'history', key: `server:${s.watch.target.serverId}`, exclusive: true, priority: 'LOW',
    ...(o.cancelAfter === undefined ? {} : { onProgress: (x: TaskProgress) => { if ((x.rowsDone ?? 0) >= (o.cancelAfter ?? 0)) p.pool.cancel(handle.id); } }),
  });
  return handle.result;
}

async function figures(p: Pipeline, s: TestServer) {
  const guild = p.store.guild(p.guildId);
  const players = await guild.stats.players({ serverId: s.watch.target.serverId });
  const { firstTime: _a, lastTime: _b, ...totals } = await guild.stats.totals(s.watch.target.serverId);
  return { totals, players };
}

describe('history runs', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('history'); });
  afterAll(async () => { await p.close(); });

  it('GIVEN the same files THEN a history run gives exactly what live ticks gave, streaks included', async () => {
    const live = await p.addServer('live');
    const rebuilt = await p.addServer('rebuilt');
    for (const d of days) rebuilt.appendDeathLog(d.name, d.text);
    // Live: each day arrives in uneven pieces, cut mid-row, with a tick after each piece.
    for (const d of days) {
      const cuts = [0, 0.13, 0.5, 0.77, 1].map((f) => Math.floor(d.text.length * f) + (f > 0 && f < 1 ? 7 : 0));
      for (let i = 1; i < cuts.length; i += 1) {
        live.appendDeathLog(d.name, d.text.slice(cuts[i - 1], cuts[i]));
        await p.tick(live);
      }
    }
    const progress: HistoryProgress[] = [];
    const report = await history(p, rebuilt, { fresh: true, onProgress: (x) => progress.push(x) });
    expect(report).toMatchObject({ files: 3, rows: ROWS, malformed: 0 });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toMatchObject({ filesDone: 3, filesTotal: 3, rowsDone: ROWS });
    expect(await figures(p, rebuilt)).toEqual(await figures(p, live));
  }, 120_000);

  it('GIVEN a history run cancelled part-way THEN resuming it ends with exactly the figures of an uninterrupted run', async () => {
    const whole = await p.addServer('whole');
    const resumed = await p.addServer('resumed');
    for (const d of days) {
      whole.appendDeathLog(d.name, d.text);
      resumed.appendDeathLog(d.name, d.text);
    }
    await history(p, whole, { fresh: true });
    await expect(history(p, resumed, { fresh: true, cancelAfter: 7_000 })).rejects.toMatchObject({ kind: 'cancelled' });
    await p.writer.flush(); // what was handed over before the cancel becomes durable; the rest was never handed over
    const partial = await figures(p, resumed);
    expect(partial.totals.rows).toBeGreaterThanOrEqual(7_000);
    expect(partial.totals.rows).toBeLessThan(ROWS);
    const rest = await history(p, resumed, { fresh: false });
    expect(rest.filesSkipped).toBeGreaterThanOrEqual(1);
    expect(await figures(p, resumed)).toEqual(await figures(p, whole));
  }, 120_000);

  it('GIVEN rows longer than a read (within the 64 KiB line cap), the first one included THEN every row counts once, and a tick afterwards finds the same file with nothing new', async () => {
    const s = await p.addServer('long-rows');
    const long = (name: string) => `2025.05.15-10.00.00;${name};0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;Bob;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;AK-mod;25;\n`;
    const text = long('A'.repeat(40_000)) + (days[0]?.text ?? '') + long('Z'.repeat(50_000)) + (days[1]?.text ?? '').replaceAll(/^2025\.\d\d\.\d\d/gm, '2025.05.15');
    s.appendDeathLog('2025.05.15-00.00.00.csv', text);
    const expected = 2 + (days[0]?.rows ?? 0) + (days[1]?.rows ?? 0);
    const report = await history(p, s, { fresh: true, sliceBytes: 16 * 1024 });
    expect(report).toMatchObject({ files: 1, rows: expected, malformed: 0 });
    await p.tick(s);
    const after = await figures(p, s);
    expect(after.totals.rows).toBe(expected);
    expect(after.players.find((x) => x.playerId === '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa')?.name).toBe('Z'.repeat(50_000));
  }, 120_000);

  it('GIVEN a fresh history run over a server with figures THEN it rebuilds them from scratch, counting nothing twice', async () => {
    const s = await p.addServer('again');
    for (const d of days) s.appendDeathLog(d.name, d.text);
    await history(p, s, { fresh: true });
    const first = await figures(p, s);
    await history(p, s, { fresh: true });
    expect(await figures(p, s)).toEqual(first);
    expect(first.totals.rows).toBe(ROWS);
  }, 120_000);
});
