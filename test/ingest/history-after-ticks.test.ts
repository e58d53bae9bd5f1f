import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { runHistory } from '../../src/ingest/history-run.js';
import { serverKey } from '../../src/ingest/scheduler.js';
import type { TaskProgress } from '../../src/pool/index.js';
import { realDeathLogs, referenceFigures } from '../helpers/fixtures.js';
import { ALICE, BOB, row, startPipeline, type Pipeline, type TestServer } from './harness.js';

/** A small seeded generator, so a failing run can be tried again as it was. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function figures(p: Pipeline, s: TestServer) {
  const guild = p.store.guild(p.guildId);
  const totals = await guild.stats.totals(s.watch.target.serverId);
  const players = await guild.stats.players({ serverId: s.watch.target.serverId });
  return { rows: totals.rows, kills: totals.kills, environment: totals.environment, suicides: totals.suicides, malformed: totals.malformed, players: players.length };
}

describe('a history run continuing from the cursors live ticks left', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('after-ticks'); });
  afterAll(async () => { await p.close(); });

  for (const seed of [1, 2, 3]) {
    it(`GIVEN the real death logs written in random pieces while ticks read them (seed ${seed}) THEN a replay from the stored cursors counts every row once`, async () => {
      const s = await p.addServer(`live-${seed}`);
      const random = seeded(seed);
      // Rows and UTF-8 characters cut anywhere; sometimes a new day file begins before a tick has seen
      // the old one end, and no tick runs while the third is written (the next tick reads it whole).
      for (const [i, log] of realDeathLogs().entries()) {
        const cuts = Array.from({ length: 6 }, () => Math.floor(random() * log.bytes.length)).sort((a, b) => a - b);
        let from = 0;
        for (const to of [...cuts, log.bytes.length]) {
          appendFileSync(join(s.deathLogDir, log.name), log.bytes.subarray(from, to));
          from = to;
          if (random() < 0.6 && i !== 2) await p.tick(s);
        }
      }
      await p.tick(s);
      const want = referenceFigures();
      const reference = { rows: want.rows, kills: want.kills, environment: want.environment, suicides: want.suicides, malformed: want.malformed, players: want.players };
      expect(await figures(p, s)).toEqual(reference);

      // As `killfeed replay` does for a server already read: continue from the stored cursors, files finished.
      const report = await p.pool.runIo((ctx) => runHistory({ writer: p.writer, now: Date.now }, s.watch, ctx, { fresh: false, finalizeNewest: true }), {
        label: 'history', key: serverKey(s.watch.target.serverId), exclusive: true,
      });
      expect(await figures(p, s)).toEqual(reference);
      expect(report.rows).toBe(0);
    }, 120_000);
  }

  it('GIVEN a history run cut short inside the file the ticks are reading THEN the next tick goes on from where the run stopped, and nothing counts twice', async () => {
    const days = generateDeathLogHistory({ seed: 5, days: 3, rowsPerDay: 6_000, players: 80, format: 'mixed' });
    const [day1, day2, day3] = days as [typeof days[0], typeof days[0], typeof days[0]];
    const s = await p.addServer('cut-short');
    s.appendDeathLog(day1.name, day1.text);
    s.appendDeathLog(day2.name, day2.text);
    const start = day3.text.indexOf('\n', day3.text.length / 10) + 1;
    s.appendDeathLog(day3.name, day3.text.slice(0, start));
    await p.tick(s); // a new server: the live file is read silently, the older ones are left to a history run
    s.appendDeathLog(day3.name, day3.text.slice(start));

    const cancelAt = day1.rows + day2.rows + 1_000;
    const handle = p.pool.submitIo((ctx) => runHistory({ writer: p.writer, now: Date.now }, s.watch, ctx, { fresh: false, finalizeNewest: false, sliceBytes: 32 * 1024, progressEveryMs: 0 }), {
      label: 'history', key: serverKey(s.watch.target.serverId), exclusive: true,
      onProgress: (x: TaskProgress) => { if ((x.rowsDone ?? 0) >= cancelAt) p.pool.cancel(handle.id); },
    });
    await expect(handle.result).rejects.toMatchObject({ kind: 'cancelled' });
    // The run stopped inside the live file, past where the tick had got to (once its last writes are in).
    await p.pool.runIo(() => Promise.resolve(), { label: 'after-history', key: serverKey(s.watch.target.serverId), exclusive: true });
    const cut = (await p.writer.resume(s.watch.target)).find((c) => c.file.endsWith(day3.name))?.offset ?? 0;
    expect(cut).toBeGreaterThan(start);
    expect(cut).toBeLessThan(Buffer.byteLength(day3.text));
    const kills = () => p.published.filter((i) => i.kind === 'kill' && i.serverId === s.watch.target.serverId).length;
    const before = kills();
    await p.tick(s);
    const totals = await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);
    expect(totals.rows).toBe(days.reduce((n, d) => n + d.rows, 0));
    // What the run left unread is history too: the killfeed gets none of it, only what comes after.
    expect(kills() - before).toBe(0);
    s.appendDeathLog(day3.name, row('2025.05.15-23.59.00', ALICE, BOB));
    await p.tick(s);
    expect(kills() - before).toBe(1);
  }, 120_000);
});
