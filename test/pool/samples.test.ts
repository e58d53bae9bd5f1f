import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../../src/pool/samples.js';

const WINDOW_MS = 5 * 60_000;

/** A histogram on a clock the test moves by hand. */
function onClock(): { durations: DurationHistogram; advance: (ms: number) => void } {
  let now = 0;
  const durations = new DurationHistogram(WINDOW_MS, () => now);
  return { durations, advance: (ms) => { now += ms; } };
}

describe('wait and run time figures', () => {
  it('GIVEN a week of quick tasks THEN one slow window still shows in p99, and older windows are no longer counted', () => {
    const { durations, advance } = onClock();
    for (let window = 0; window < 7 * 24 * 12; window += 1) {
      for (let i = 0; i < 50; i += 1) durations.add(2);
      advance(WINDOW_MS);
    }
    for (let i = 0; i < 5; i += 1) durations.add(1_500);
    const recent = durations.summary();
    expect(recent.p99).toBeGreaterThanOrEqual(1_400);
    expect(recent.p50).toBeLessThan(3);
    expect(recent.samples).toBe(55);
  });

  it('GIVEN nothing finished for two windows THEN the figures are empty, not the old ones', () => {
    const { durations, advance } = onClock();
    durations.add(40);
    expect(durations.summary().samples).toBe(1);
    advance(WINDOW_MS);
    expect(durations.summary().samples).toBe(1);
    expect(durations.summary().max).toBeCloseTo(40, 0);
    advance(2 * WINDOW_MS);
    expect(durations.summary()).toEqual({ p50: 0, p95: 0, p99: 0, max: 0, samples: 0 });
  });

  it('GIVEN a window closed late (the pool was idle) THEN nothing older than two windows is counted', () => {
    const { durations, advance } = onClock();
    advance(WINDOW_MS / 2);
    durations.add(40); // in the first window
    advance(WINDOW_MS * 1.4); // the first window ended 0.9 window ago; the second is under way
    durations.add(3);
    advance(WINDOW_MS * 0.7); // the second window has ended: the 40 ms task is over two windows old
    const recent = durations.summary();
    expect(recent.samples).toBe(1);
    expect(recent.max).toBeLessThan(10);
  });
});
