import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TickScheduler } from '../../src/ingest/scheduler.js';
import { createServerWatch } from '../../src/ingest/server-watch.js';
import { runTick } from '../../src/ingest/tick.js';
import type { LogSource } from '../../src/sources/index.js';
import { until } from '../pool/helpers.js';
import { ALICE, BOB, row, startPipeline, type Pipeline, type TestServer } from './harness.js';

/** A source that can be made to fail (host down) or to stall (a slow link), like a real one. */
function controllable(inner: LogSource): LogSource & { down: boolean; stallMs: number; ops: number } {
  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    s.ops += 1;
    if (s.stallMs > 0) await new Promise((r) => setTimeout(r, s.stallMs));
    if (s.down) throw Object.assign(new Error('The SFTP server at 127.0.0.1:22 refused the connection: check the host and port.'), { kind: 'unreachable' });
    return fn(...a);
  };
  const s = {
    label: inner.label, down: false, stallMs: 0, ops: 0,
    list: wrap(inner.list.bind(inner)), stat: wrap(inner.stat.bind(inner)), read: wrap(inner.read.bind(inner)),
    readHead: wrap(inner.readHead.bind(inner)), close: () => inner.close(),
  };
  return s;
}

describe('the tick scheduler', () => {
  let p: Pipeline;
  let scheduler: TickScheduler;
  beforeAll(async () => {
    p = await startPipeline('scheduler');
    scheduler = new TickScheduler({ pool: p.pool, tick: (watch, ctx) => runTick(p.deps, watch, ctx), logger: p.logs.logger, backoffCapMs: 400 });
  });
  afterAll(async () => {
    scheduler.stop();
    await p.close();
  });

  function watchWith(server: TestServer, source: LogSource, intervalMs: number) {
    return createServerWatch({ target: server.watch.target, name: server.watch.name, source, intervalMs });
  }

  it('GIVEN watched servers THEN they tick by themselves and their health says so', async () => {
    const a = await p.addServer('auto-a');
    const b = await p.addServer('auto-b');
    a.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    b.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', BOB, ALICE));
    scheduler.add(watchWith(a, a.watch.source, 100));
    scheduler.add(watchWith(b, b.watch.source, 100));
    await until(() => scheduler.health().filter((h) => h.ticks >= 3).length === 2, 'both servers ticked three times');
    const health = scheduler.health().find((h) => h.name === 'auto-a');
    expect(health).toMatchObject({ state: 'ok', consecutiveFailures: 0, lastError: null, rowsRead: 1 });
    expect(health?.lastSuccessAt).not.toBeNull();
    scheduler.remove(a.watch.target.serverId);
    scheduler.remove(b.watch.target.serverId);
  });

  it('GIVEN a server watched again with new settings (an edit) THEN its record of reads is kept: not "last read never"', async () => {
    const s = await p.addServer('edited');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    scheduler.add(watchWith(s, s.watch.source, 60_000));
    await scheduler.tickNow(s.watch.target.serverId);
    const before = scheduler.health().find((h) => h.name === 'edited');
    expect(before).toMatchObject({ ticks: 1, rowsRead: 1 });
    scheduler.add(watchWith(s, s.watch.source, 30_000));
    expect(scheduler.health().find((h) => h.name === 'edited')).toMatchObject({
      state: 'waiting', ticks: 1, rowsRead: 1, lastSuccessAt: before?.lastSuccessAt,
    });
    scheduler.remove(s.watch.target.serverId);
  });

  it('GIVEN a tick still running when the next is due THEN the next is skipped and counted', async () => {
    const s = await p.addServer('slow');
    const source = controllable(s.watch.source);
    source.stallMs = 150;
    scheduler.add(watchWith(s, source, 20));
    await until(() => (scheduler.health().find((h) => h.name === 'slow')?.ticks ?? 0) >= 2, 'two slow ticks');
    expect(scheduler.health().find((h) => h.name === 'slow')?.skippedTicks).toBeGreaterThanOrEqual(1);
    // Ticks of one server never overlap: the pool's history shows no two with intersecting run times.
    const runs = p.pool.historyOf({ label: 'tick', key: `server:${s.watch.target.serverId}` })
      .map((t) => [Date.parse(t.startedAt ?? ''), Date.parse(t.endedAt ?? '')] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < runs.length; i += 1) expect(runs[i]?.[0]).toBeGreaterThanOrEqual(runs[i - 1]?.[1] ?? 0);
    scheduler.remove(s.watch.target.serverId);
  });

  it('GIVEN two manual ticks at once THEN the second joins the first and both get its report', async () => {
    const s = await p.addServer('joined');
    const source = controllable(s.watch.source);
    source.stallMs = 100;
    const watch = watchWith(s, source, 10_000);
    scheduler.add(watch);
    const [x, y] = await Promise.all([scheduler.tickNow(s.watch.target.serverId), scheduler.tickNow(s.watch.target.serverId)]);
    expect(x).toBe(y);
    scheduler.remove(s.watch.target.serverId);
  });

  it('GIVEN a host that goes down THEN health gives the reason in plain words, retries back off, and nothing is lost after it returns', async () => {
    const s = await p.addServer('flaky');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB));
    const source = controllable(s.watch.source);
    scheduler.add(watchWith(s, source, 30));
    await until(() => (scheduler.health().find((h) => h.name === 'flaky')?.ticks ?? 0) >= 1, 'first tick');
    source.down = true;
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.01.00', ALICE, BOB) + row('2025.05.15-10.02.00', BOB, ALICE));
    await until(() => (scheduler.health().find((h) => h.name === 'flaky')?.consecutiveFailures ?? 0) >= 3, 'three failures');
    const failing = scheduler.health().find((h) => h.name === 'flaky');
    expect(failing).toMatchObject({ state: 'failing', lastErrorKind: 'unreachable' });
    expect(failing?.lastError).toMatch(/refused the connection: check the host and port/);
    const warnings = p.logs.sink.lines.filter((l) => l.msg === `reading the game server failed: ${failing?.lastError ?? ''}`);
    expect(warnings).toHaveLength(1);
    source.down = false;
    await until(() => scheduler.health().find((h) => h.name === 'flaky')?.state === 'ok', 'recovered');
    const totals = await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId);
    expect(totals).toMatchObject({ kills: 3 });
    scheduler.remove(s.watch.target.serverId);
  });

  it('GIVEN a malformed death-log row THEN the operator log names its file, line and reason', async () => {
    const s = await p.addServer('bad-row');
    s.appendDeathLog('2025.05.15-00.00.00.csv', row('2025.05.15-10.00.00', ALICE, BOB) + '2025.05.15-10.01.00;Alice;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;Bob\n');
    scheduler.add(watchWith(s, s.watch.source, 30));
    await until(() => (scheduler.health().find((h) => h.name === 'bad-row')?.malformedRows ?? 0) >= 1, 'the bad row counted');
    expect(p.logs.sink.lines.filter((l) => l.server === 'bad-row' && String(l.msg).startsWith('malformed death-log row'))).toMatchObject([
      { file: '2025.05.15-00.00.00.csv', line: 2, msg: expect.stringContaining('has 4 fields') },
    ]);
    scheduler.remove(s.watch.target.serverId);
  });
});
