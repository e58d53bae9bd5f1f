import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addEvents, DAY_PLAYER, dayPairs, emptySummary, mergeSummaries, PLAYER, packSummary, parseDeathLog, type PackedSummary, type StatsSummary,
} from '../../../parsers/index.js';
import { realDeathLogs } from '../../helpers/fixtures.js';
import { unpackSummary } from './unpack-summary.js';

const events = realDeathLogs().flatMap((f) => parseDeathLog(f.name, f.bytes, { final: true }).events);
const summaryOf = (from: number, to: number): StatsSummary => addEvents(emptySummary(), events.slice(from, to));

/** Players, days and pairs: what packing must carry (totals and times stay with the caller). */
function figures(s: StatsSummary): unknown {
  return { players: s.players, days: s.days };
}

/** Every pair of a packed summary, read from one side: `day|killer>victim` from the killers' victims, or from the victims' killers. */
function pairsFrom(packed: PackedSummary, side: 'victims' | 'killers'): Map<string, number> {
  const id = (row: number) => packed.strings[packed.players[row * PLAYER.size + PLAYER.id] ?? -1] ?? '';
  const out = new Map<string, number>();
  for (let r = 0; r < packed.dayPlayers.length; r += DAY_PLAYER.size) {
    const n = (field: number) => packed.dayPlayers[r + field] ?? 0;
    const day = packed.strings[n(DAY_PLAYER.day)] ?? '';
    const self = packed.strings[n(DAY_PLAYER.id)] ?? '';
    const [from, to] = side === 'victims' ? [n(DAY_PLAYER.victimsFrom), n(DAY_PLAYER.killersFrom)] : [n(DAY_PLAYER.killersFrom), n(DAY_PLAYER.pairsTo)];
    for (let e = from; e < to; e += 1) {
      const other = id(packed.pairs[2 * e] ?? -1);
      const key = side === 'victims' ? `${day}|${self}>${other}` : `${day}|${other}>${self}`;
      out.set(key, (out.get(key) ?? 0) + (packed.pairs[2 * e + 1] ?? 0));
    }
  }
  return out;
}

function allPairs(s: StatsSummary): Map<string, number> {
  const out = new Map<string, number>();
  for (const [day, d] of s.days) for (const [killer, victim, n] of dayPairs(d)) out.set(`${day}|${killer}>${victim}`, n);
  return out;
}

describe('packed summaries (what history workers send back)', () => {
  it('GIVEN the real events THEN unpacking the packed summary gives back every player, day and pair count', () => {
    const plain = summaryOf(0, events.length);
    const packed = packSummary(summaryOf(0, events.length));
    expect(packed.players).toBeInstanceOf(Float64Array);
    expect(packed.pairs).toBeInstanceOf(Int32Array);
    expect(allPairs(plain).size).toBeGreaterThan(1_000);
    expect(figures(unpackSummary(packed))).toEqual(figures(plain));
  });

  it('GIVEN the real events THEN every pair is in its killer\'s victims and, mirrored, in its victim\'s killers, with the same count', () => {
    const plain = summaryOf(0, events.length);
    const packed = packSummary(summaryOf(0, events.length));
    expect(pairsFrom(packed, 'victims')).toEqual(allPairs(plain));
    expect(pairsFrom(packed, 'killers')).toEqual(allPairs(plain));
  });

  it('GIVEN batches cut at random points, each packed and unpacked THEN merging them gives the figures of one pass', () => {
    const whole = summaryOf(0, events.length);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: events.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set([0, ...cuts, events.length])].sort((a, b) => a - b);
      let merged = emptySummary();
      for (let i = 1; i < points.length; i += 1) merged = mergeSummaries(merged, unpackSummary(packSummary(summaryOf(points[i - 1] ?? 0, points[i] ?? 0))));
      expect(figures(merged)).toEqual(figures(whole));
    }), { numRuns: 15, seed: 11 });
  });

  it('GIVEN a hand-built summary whose pair names a player without figures THEN packing keeps the pair and the player', () => {
    const s = emptySummary();
    s.days.set('2025-05-15', { players: new Map(), pairs: new Map([['0002aa', new Map([['0002bb', 2]])]]) });
    const back = unpackSummary(packSummary(s));
    expect([...dayPairs(back.days.get('2025-05-15') ?? { players: new Map(), pairs: new Map() })]).toEqual([['0002aa', '0002bb', 2]]);
    expect([...back.players.keys()].sort()).toEqual(['0002aa', '0002bb']);
  });

  it('GIVEN a packed summary THEN it survives a structured clone (the thread boundary) unchanged', () => {
    const packed = packSummary(summaryOf(0, events.length));
    expect(structuredClone(packed)).toEqual(packed);
  });
});
