/**
 * A {@link StatsSummary} as a few typed arrays and string lists: the form a history run's workers
 * send back. Why: the structured clone of a summary of Maps and small objects is one object per
 * player, player-day and weapon to build on the main thread (and to collect), while typed arrays
 * and strings copy as bytes. Killer-victim pairs travel as packed segments (pair-segments.ts).
 * The main thread folds the rows straight into its batch, reading fields by the offsets below.
 */
import { packPairs } from './pair-segments.js';
import { emptySummary } from './reduce.js';
import type { DayStats, DayTally, PlayerTally, StatsSummary } from './types.js';

export interface PackedSummary {
  /** Every string the rows refer to by index: EOS ids, names, platforms, weapons, days. */
  strings: string[];
  /** {@link PLAYER}.size numbers per player. */
  players: Float64Array;
  /** {@link DAY_PLAYER}.size numbers per player and day. */
  dayPlayers: Float64Array;
  /** [weapon string index, kills] per entry; players and day players refer to a range of entries. */
  weapons: Float64Array;
  /**
   * Killer-victim segments, all in one text, each followed by a comma; day players refer to a range
   * of them by number. Why one text: thousands of small strings per slice would be thousands of
   * objects for the main thread's young generation to copy while its batch waits to be written,
   * while one large string is never copied, and a segment sliced out of it is a small reference.
   */
  segmentText: string;
  /** Where each segment ends in {@link segmentText} (exclusive; its comma follows). */
  segmentEnds: Float64Array;
}

/** Offsets of a player's numbers in {@link PackedSummary.players}; `platform` is -1 when unknown. */
export const PLAYER = {
  id: 0, name: 1, platform: 2, kills: 3, deaths: 4, suicides: 5, longestKill: 6, lastSeen: 7,
  lead: 8, reset: 9, tail: 10, best: 11, weaponsFrom: 12, weaponsTo: 13, size: 14,
} as const;

/** Offsets of a player-day's numbers in {@link PackedSummary.dayPlayers}. */
export const DAY_PLAYER = {
  day: 0, id: 1, kills: 2, deaths: 3, suicides: 4, longestKill: 5, weaponsFrom: 6, weaponsTo: 7,
  segmentsFrom: 8, segmentsTo: 9, size: 10,
} as const;

/** Packs a summary's players and days (its pairs into segments first). Totals and times stay with the caller. */
export function packSummary(summary: StatsSummary): PackedSummary {
  packPairs(summary);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const at = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      index.set(s, (i = strings.length));
      strings.push(s);
    }
    return i;
  };
  const weapons: number[] = [];
  const addWeapons = (m: ReadonlyMap<string, number>): [number, number] => {
    const from = weapons.length / 2;
    for (const [w, n] of m) weapons.push(at(w), n);
    return [from, weapons.length / 2];
  };
  const players = new Float64Array(summary.players.size * PLAYER.size);
  let r = 0;
  for (const p of summary.players.values()) {
    const [from, to] = addWeapons(p.weapons);
    const s = p.streak;
    players.set([at(p.id), at(p.name), p.platform === undefined ? -1 : at(p.platform), p.kills, p.deaths, p.suicides,
      p.longestKill, p.lastSeen, s.lead, s.reset ? 1 : 0, s.tail, s.best, from, to], r);
    r += PLAYER.size;
  }
  let count = 0;
  for (const d of summary.days.values()) count += d.players.size;
  const dayPlayers = new Float64Array(count * DAY_PLAYER.size);
  const segments: string[] = [];
  const ends: number[] = [];
  let end = 0;
  r = 0;
  for (const [day, d] of summary.days) {
    const dayAt = at(day);
    for (const [id, t] of d.players) {
      const [from, to] = addWeapons(t.weapons);
      const segmentsFrom = ends.length;
      for (const segment of t.segments ?? []) {
        segments.push(segment);
        ends.push((end += segment.length));
        end += 1;
      }
      dayPlayers.set([dayAt, at(id), t.kills, t.deaths, t.suicides, t.longestKill, from, to, segmentsFrom, ends.length], r);
      r += DAY_PLAYER.size;
    }
  }
  const segmentText = segments.length === 0 ? '' : `${segments.join(',')},`;
  return { strings, players, dayPlayers, weapons: Float64Array.from(weapons), segmentText, segmentEnds: Float64Array.from(ends) };
}

/** Segment `i` of a packed summary (a slice of its text: no copy). */
export function segmentAt(packed: PackedSummary, i: number): string {
  const start = i === 0 ? 0 : (packed.segmentEnds[i - 1] ?? 0) + 1;
  return packed.segmentText.slice(start, packed.segmentEnds[i] ?? start);
}

/** The summary a packed one came from (pairs stay packed, in the day tallies' `segments`); totals and times empty. */
export function unpackSummary(packed: PackedSummary): StatsSummary {
  const { strings, players: p, dayPlayers: d } = packed;
  const text = (i: number | undefined): string => strings[i ?? -1] ?? '';
  const summary = emptySummary();
  for (let r = 0; r < p.length; r += PLAYER.size) {
    const n = (field: number): number => p[r + field] ?? 0;
    const player: PlayerTally = {
      id: text(n(PLAYER.id)), name: text(n(PLAYER.name)), kills: n(PLAYER.kills), deaths: n(PLAYER.deaths),
      suicides: n(PLAYER.suicides), longestKill: n(PLAYER.longestKill), lastSeen: n(PLAYER.lastSeen),
      weapons: weaponsOf(packed, n(PLAYER.weaponsFrom), n(PLAYER.weaponsTo)),
      streak: { lead: n(PLAYER.lead), reset: n(PLAYER.reset) === 1, tail: n(PLAYER.tail), best: n(PLAYER.best) },
    };
    if (n(PLAYER.platform) >= 0) player.platform = text(n(PLAYER.platform));
    summary.players.set(player.id, player);
  }
  for (let r = 0; r < d.length; r += DAY_PLAYER.size) {
    const n = (field: number): number => d[r + field] ?? 0;
    const day = text(n(DAY_PLAYER.day));
    let stats: DayStats | undefined = summary.days.get(day);
    if (!stats) summary.days.set(day, (stats = { players: new Map(), pairs: new Map() }));
    const tally: DayTally = {
      kills: n(DAY_PLAYER.kills), deaths: n(DAY_PLAYER.deaths), suicides: n(DAY_PLAYER.suicides), longestKill: n(DAY_PLAYER.longestKill),
      weapons: weaponsOf(packed, n(DAY_PLAYER.weaponsFrom), n(DAY_PLAYER.weaponsTo)),
    };
    const from = n(DAY_PLAYER.segmentsFrom);
    const to = n(DAY_PLAYER.segmentsTo);
    if (to > from) tally.segments = Array.from({ length: to - from }, (_, i) => segmentAt(packed, from + i));
    stats.players.set(text(n(DAY_PLAYER.id)), tally);
  }
  return summary;
}

/** A range of weapon entries as a Map. */
export function weaponsOf(packed: PackedSummary, from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = from; i < to; i += 1) {
    const name = packed.strings[packed.weapons[2 * i] ?? -1] ?? '';
    out.set(name, (out.get(name) ?? 0) + (packed.weapons[2 * i + 1] ?? 0));
  }
  return out;
}
