import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWaitMs, quietCadence, type PollCadence } from '../../src/ingest/poll-cadence.js';
import { TickScheduler, type SchedulerTimers } from '../../src/ingest/scheduler.js';
import { createServerWatch } from '../../src/ingest/server-watch.js';
import { runTick } from '../../src/ingest/tick.js';
import { until } from '../pool/helpers.js';
import { ALICE, BOB, row, startPipeline, type Pipeline, type TestServer } from './harness.js';

/** A clock the test moves by hand: waits fire in time order, one at a time, only when stepped. */
class ManualClock implements SchedulerTimers {
  readonly start = Date.parse('2025-05-15T10:00:00Z');
  now = this.start;
  #seq = 0;
  #pending: { at: number; seq: number; fire: () => void; cancelled: boolean }[] = [];

  set(fire: () => void, delayMs: number): { cancel(): void } {
    const wait = { at: this.now + delayMs, seq: this.#seq++, fire, cancelled: false };
    this.#pending.push(wait);
    return { cancel: () => { wait.cancelled = true; } };
  }

  /** Moves to the earliest pending wait ending by `until` and fires it; false when none does. */
  step(until: number): boolean {
    this.#pending = this.#pending.filter((w) => !w.cancelled).sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.#pending[0];
    if (!next || next.at > until) return false;
    this.#pending.shift();
    this.now = next.at;
    next.fire();
    return true;
  }
}

const cadence: PollCadence = { intervalMs: 30_000, fastMs: 2_000, activeWindowMs: 60_000 };

describe('poll cadence (pure)', () => {
  it('GIVEN news a moment ago THEN the next read is fast; a minute of quiet later it doubles up to the interval', () => {
    const t = 1_000_000;
    expect(nextWaitMs(cadence, quietCadence(cadence), t)).toBe(30_000);
    expect(nextWaitMs(cadence, { lastNewsAt: t - 60_000, lastWaitMs: 2_000 }, t)).toBe(2_000);
    expect(nextWaitMs(cadence, { lastNewsAt: t - 60_001, lastWaitMs: 2_000 }, t)).toBe(4_000);
    expect(nextWaitMs(cadence, { lastNewsAt: t - 90_000, lastWaitMs: 16_000 }, t)).toBe(30_000);
    // An admin's interval shorter than the fast cadence is never slowed down.
    expect(nextWaitMs({ ...cadence, intervalMs: 1_000 }, { lastNewsAt: t, lastWaitMs: 1_000 }, t)).toBe(1_000);
  });
});

describe('the tick scheduler: fresh news', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('cadence'); });
  afterAll(async () => { await p.close(); });

  it('GIVEN a busy and an idle server THEN the busy one is read every 2 s while kills arrive and backs off step by step after a quiet minute; the idle one keeps its interval', async () => {
    const clock = new ManualClock();
    const busy = await p.addServer('busy');
    const idle = await p.addServer('idle');
    const fired: { name: string; at: number }[] = [];
    const busyUntil = clock.start + 60_000;
    const scheduler = new TickScheduler({
      pool: p.pool, logger: p.logs.logger, timers: clock, now: () => clock.now, random: () => 0.5,
      tick: (watch, ctx) => {
        fired.push({ name: watch.name, at: clock.now - clock.start });
        // A fight on the busy server for its first minute: every read finds a new kill.
        if (watch.name === 'busy' && clock.now < busyUntil) busy.appendDeathLog('2025.05.15-00.00.00.csv', row(stamp(clock.now), ALICE, BOB));
        return runTick(p.deps, watch, ctx);
      },
    });
    const watchOf = (s: TestServer) => createServerWatch({ target: s.watch.target, name: s.watch.name, source: s.watch.source, intervalMs: cadence.intervalMs });
    scheduler.add(watchOf(busy));
    scheduler.add(watchOf(idle));
    // The clock stands still until the read it started is done, so its news is known before the next wait is chosen.
    const reading = () => scheduler.health().some((h) => h.state === 'reading');
    while (clock.step(clock.start + 240_000)) {
      await until(() => !reading(), `the read at ${clock.now - clock.start} ms finished`);
    }
    scheduler.stop();

    const gaps = (name: string): number[] => {
      const at = fired.filter((f) => f.name === name).map((f) => f.at);
      return at.slice(1).map((t, i) => t - at[i]!);
    };
    // Busy: every 2 s from the first kill (its 30 s wait brought forward) until a minute after the last one (58.5 s),
    // then 4, 8, 16 s, then its 30 s interval.
    expect(gaps('busy')).toEqual([...Array<number>(59).fill(2_000), 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(gaps('idle')).toEqual(Array<number>(7).fill(30_000));
    const inFirstMinute = (name: string) => fired.filter((f) => f.name === name && f.at < 60_000).length;
    expect([inFirstMinute('busy'), inFirstMinute('idle')]).toEqual([29, 2]);
    expect(await p.store.guild(p.guildId).stats.totals(busy.watch.target.serverId)).toMatchObject({ kills: 29 });
    expect(scheduler.health().every((h) => h.skippedTicks === 0 && h.consecutiveFailures === 0)).toBe(true);
  });
});

describe('the tick scheduler: fresh news when behind', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('cadence-behind'); });
  afterAll(async () => { await p.close(); });

  it('GIVEN more reads in flight than allowed THEN a server with news is still read at its own interval, never fast', async () => {
    const clock = new ManualClock();
    const busy = await p.addServer('busy');
    const fired: number[] = [];
    const scheduler = new TickScheduler({
      pool: p.pool, logger: p.logs.logger, timers: clock, now: () => clock.now, random: () => 0.5,
      // No read may be in flight besides the one being chosen for: the bot counts as behind at every read.
      maxTicksInFlight: 0,
      tick: (watch, ctx) => {
        fired.push(clock.now - clock.start);
        busy.appendDeathLog('2025.05.15-00.00.00.csv', row(stamp(clock.now), ALICE, BOB));
        return runTick(p.deps, watch, ctx);
      },
    });
    scheduler.add(createServerWatch({ target: busy.watch.target, name: busy.watch.name, source: busy.watch.source, intervalMs: cadence.intervalMs }));
    const reading = () => scheduler.health().some((h) => h.state === 'reading');
    while (clock.step(clock.start + 150_000)) {
      await until(() => !reading(), `the read at ${clock.now - clock.start} ms finished`);
    }
    scheduler.stop();
    const gaps = fired.slice(1).map((t, i) => t - fired[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    expect(gaps.every((g) => g === 30_000)).toBe(true);
  });
});

function stamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}.${two(d.getUTCMonth() + 1)}.${two(d.getUTCDate())}-${two(d.getUTCHours())}.${two(d.getUTCMinutes())}.${two(d.getUTCSeconds())}`;
}
