import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addEvents, addPairs, dayPairs, emptySummary, encodePairs, mergeSummaries, packPairs, packSummary, parseDeathLog, unpackSummary,
  type StatsSummary,
} from '../../../parsers/index.js';
import { realDeathLogs } from '../../helpers/fixtures.js';

const events = realDeathLogs().flatMap((f) => parseDeathLog(f.name, f.bytes, { final: true }).events);
const summaryOf = (from: number, to: number): StatsSummary => addEvents(emptySummary(), events.slice(from, to));

/** Every day's killer-victim counts, keyed `day|killer>victim`, packed or not. */
function allPairs(s: StatsSummary): Map<string, number> {
  const out = new Map<string, number>();
  for (const [day, d] of s.days) for (const [pair, n] of dayPairs(d)) out.set(`${day}|${pair}`, n);
  return out;
}

/** The summary with pairs and segments left out: what packing must not change. */
function figures(s: StatsSummary): unknown {
  return {
    ...s,
    days: new Map([...s.days].map(([day, d]) => [day, new Map([...d.players].map(([id, t]) => [id, { ...t, segments: undefined }]))])),
  };
}

describe('killer-victim segments', () => {
  it('GIVEN victim and killer counts THEN a segment decodes to the same counts, added to running ones', () => {
    const victims = new Map([['0002aa', 2], ['__proto__', 1]]);
    const killedBy = new Map([['0002bb', 3]]);
    const runningVictims = new Map([['0002aa', 1]]);
    const runningKillers = new Map<string, number>();
    addPairs(encodePairs(victims, killedBy), runningVictims, runningKillers);
    expect(Object.fromEntries(runningVictims)).toEqual({ '0002aa': 3, ['__proto__']: 1 });
    expect([...runningKillers]).toEqual([['0002bb', 3]]);
  });

  it('GIVEN the real events THEN packing moves every pair into segments and the counts stay the same', () => {
    const plain = summaryOf(0, events.length);
    const before = allPairs(plain);
    const packed = packPairs(summaryOf(0, events.length));
    expect(before.size).toBeGreaterThan(0);
    for (const d of packed.days.values()) expect(d.pairs.size).toBe(0);
    expect(allPairs(packed)).toEqual(before);
    expect(figures(packed)).toEqual(figures(plain));
  });

  it('GIVEN packed batches cut at random points THEN merging them gives the pair counts and figures of one unpacked pass', () => {
    const whole = summaryOf(0, events.length);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: events.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set([0, ...cuts, events.length])].sort((a, b) => a - b);
      let merged = emptySummary();
      for (let i = 1; i < points.length; i += 1) merged = mergeSummaries(merged, packPairs(summaryOf(points[i - 1] ?? 0, points[i] ?? 0)));
      expect(allPairs(merged)).toEqual(allPairs(whole));
      expect(figures(merged)).toEqual(figures(whole));
    }), { numRuns: 15, seed: 11 });
  });

  it('GIVEN a merge of packed summaries THEN the inputs keep their own segment lists', () => {
    const a = packPairs(summaryOf(0, 200));
    const b = packPairs(summaryOf(200, 400));
    const copy = structuredClone(a);
    mergeSummaries(mergeSummaries(a, b), b);
    expect(a).toEqual(copy);
  });
});

describe('packed summaries (what history workers send back)', () => {
  it('GIVEN the real events THEN unpacking the packed summary gives back every player, day and pair count', () => {
    const plain = summaryOf(0, events.length);
    const packed = packSummary(summaryOf(0, events.length));
    expect(packed.players).toBeInstanceOf(Float64Array);
    const back = unpackSummary(packed);
    expect(figures({ ...back, totals: plain.totals, firstTime: plain.firstTime, lastTime: plain.lastTime })).toEqual(figures(plain));
    expect(allPairs(back)).toEqual(allPairs(plain));
  });

  it('GIVEN a packed summary THEN it survives a structured clone (the thread boundary) unchanged', () => {
    const packed = packSummary(summaryOf(0, events.length));
    expect(structuredClone(packed)).toEqual(packed);
  });
});
