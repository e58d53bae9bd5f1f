import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyStreak, emptySummary, joinStreak, mergeInto, mergeSummaries, parseDeathLog, summarize, addEvents,
  type DeathEvent, type StatsSummary,
} from '../../../parsers/index.js';
import { realDeathLogs } from '../../helpers/fixtures.js';

const A = '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const C = '0002cccccccccccccccccccccccccccc';
let clock = Date.UTC(2025, 4, 15, 10);
function ev(kind: DeathEvent['kind'], killer: string, victim: string, extra: Partial<DeathEvent> = {}): DeathEvent {
  clock += 60_000;
  return {
    kind, time: clock, killerName: killer ? `name-${killer.slice(-1)}` : '', killerId: killer,
    victimName: `name-${victim.slice(-1)}`, victimId: victim, weapon: 'AK-mod', distance: 10, line: 1, ...extra,
  };
}

describe('statistics by the counting rules', () => {
  it('GIVEN kills, deaths and suicides THEN each player gets exactly what the rules give', () => {
    const s = addEvents(emptySummary(), [
      ev('kill', A, B, { distance: 120, weapon: 'M99' }),
      ev('kill', A, C, { distance: 30 }),
      ev('environment', '', A),
      ev('suicide', B, B, { weapon: 'suicide_by_relocation', suicideCause: 'relocation' }),
      ev('suicide', C, C, { weapon: 'falling', suicideCause: 'fall' }),
      ev('suicide', C, C, { weapon: 'F-10', suicideCause: 'other' }),
    ]);
    const a = s.players.get(A);
    expect(a).toMatchObject({ kills: 2, deaths: 1, suicides: 0, longestKill: 120 });
    expect(Object.fromEntries(a?.weapons ?? [])).toEqual({ M99: 1, 'AK-mod': 1 });
    expect(s.players.get(B)).toMatchObject({ kills: 0, deaths: 1, suicides: 1, longestKill: 0 });
    expect(s.players.get(C)).toMatchObject({ kills: 0, deaths: 1, suicides: 2 });
    expect(s.totals).toEqual({ rows: 6, kills: 2, environment: 1, suicides: 3, relocations: 1, falls: 1, malformed: 0 });
  });

  it('GIVEN a streak broken by a death and by a suicide THEN best streak is the highest run of kills', () => {
    const s = addEvents(emptySummary(), [
      ev('kill', A, B), ev('kill', A, C), ev('kill', A, B), // 3
      ev('kill', B, A), // death resets
      ev('kill', A, B), ev('kill', A, C), // 2
      ev('suicide', A, A, { suicideCause: 'relocation' }), // suicide resets
      ev('kill', A, B), // 1
    ]);
    expect(s.players.get(A)?.streak).toEqual({ lead: 3, reset: true, tail: 1, best: 3 });
  });

  it('GIVEN a name change THEN the latest name is shown, and a missing name never erases one', () => {
    const s = addEvents(emptySummary(), [
      ev('kill', A, B, { killerName: 'Old' }),
      ev('kill', A, B, { killerName: 'New' }),
      ev('kill', A, B, { killerName: '' }),
    ]);
    expect(s.players.get(A)?.name).toBe('New');
  });

  it('GIVEN PvP kills THEN per-day tallies and killer-victim pairs are kept for periods and nemesis', () => {
    const s = addEvents(emptySummary(), [ev('kill', A, B), ev('kill', A, B), ev('kill', B, A)]);
    const day = s.days.get('2025-05-15');
    expect(day?.pairs.get(A)?.get(B)).toBe(2);
    expect(day?.pairs.get(B)?.get(A)).toBe(1);
    expect(day?.players.get(A)).toMatchObject({ kills: 2, deaths: 1 });
  });
});

describe('summaries merge: batches give the same figures as one pass', () => {
  const events = realDeathLogs().flatMap((f) => parseDeathLog(f.name, f.bytes, { final: true }).events);
  const whole = addEvents(emptySummary(), events);

  it('GIVEN the real events cut into batches at random points THEN merging the batch summaries in order equals one pass', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: events.length }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set([0, ...cuts, events.length])].sort((a, b) => a - b);
        let merged: StatsSummary = emptySummary();
        for (let i = 1; i < points.length; i += 1) {
          merged = mergeSummaries(merged, addEvents(emptySummary(), events.slice(points[i - 1], points[i])));
        }
        expect(merged).toEqual(whole);
      }),
      { numRuns: 25, seed: 3 },
    );
  });

  it('GIVEN batches folded in place THEN the result equals the pure merge and the folded-in batches are untouched', () => {
    const parts = [0, 1, 2, 3].map((i) => addEvents(emptySummary(), events.slice((i * events.length) / 4, ((i + 1) * events.length) / 4)));
    const copies = parts.map((p) => structuredClone(p));
    const folded = parts.reduce((acc, p) => mergeInto(acc, p), emptySummary());
    expect(folded).toEqual(whole);
    expect(parts).toEqual(copies);
  });

  it('GIVEN batches merged in a different grouping THEN the result is the same (associative)', () => {
    const third = Math.floor(events.length / 3);
    const [x, y, z] = [events.slice(0, third), events.slice(third, 2 * third), events.slice(2 * third)].map((e) => addEvents(emptySummary(), e)) as [StatsSummary, StatsSummary, StatsSummary];
    expect(mergeSummaries(mergeSummaries(x, y), z)).toEqual(mergeSummaries(x, mergeSummaries(y, z)));
  });

  it('GIVEN random streak states THEN joinStreak is associative with an identity', () => {
    const streak = fc.record({ lead: fc.nat(20), reset: fc.boolean(), tail: fc.nat(20), best: fc.nat(40) })
      .map((s) => (s.reset ? { ...s, best: Math.max(s.best, s.lead, s.tail) } : { ...s, tail: s.lead, best: Math.max(s.best, s.lead) }));
    fc.assert(fc.property(streak, streak, streak, (a, b, c) => {
      expect(joinStreak(joinStreak(a, b), c)).toEqual(joinStreak(a, joinStreak(b, c)));
      expect(joinStreak(emptyStreak(), a)).toEqual(a);
      expect(joinStreak(a, emptyStreak())).toEqual(a);
    }), { seed: 5 });
  });

  it('GIVEN a parsed batch with malformed rows THEN summarize counts them as rows and nothing else', () => {
    const s = summarize({ events: [], malformed: [{ file: 'f', line: 1, reason: 'r', excerpt: '' }] });
    expect(s.totals).toMatchObject({ rows: 1, malformed: 1, kills: 0 });
    expect(s.players.size).toBe(0);
  });
});
