/**
 * A {@link StatsSummary} as a few typed arrays and string lists: the form a history run's workers
 * send back. Why: the structured clone of a summary of Maps and small objects is one object per
 * player, player-day, weapon and killer-victim pair to build on the main thread (and to collect),
 * while typed arrays and strings copy as bytes. The main thread folds the rows straight into its
 * batch, reading fields by the offsets below.
 */
import type { DayStats, DayTally, PlayerTally, StatsSummary } from './types.js';

export interface PackedSummary {
  /** Every string the rows refer to by index: EOS ids, names, platforms, weapons, days. */
  strings: string[];
  /** {@link PLAYER}.size numbers per player. A player's row number is its position here. */
  players: Float64Array;
  /** {@link DAY_PLAYER}.size numbers per player and day. */
  dayPlayers: Float64Array;
  /** [weapon string index, kills] per entry; players and day players refer to a range of entries. */
  weapons: Float64Array;
  /**
   * Killer-victim counts as [player row, count] entries. A day player's range holds first its victims
   * that day (with the kills on each), then its killers (with the deaths by each): every pair is in
   * the killer's range and, mirrored, in the victim's, so each side reads its own nemesis and prey.
   * Numbers, not EOS ids: pairs number nearly one per PvP kill, and 32-character ids were most of
   * the bytes a history run moved between threads and wrote to the database.
   */
  pairs: Int32Array;
}

/** Offsets of a player's numbers in {@link PackedSummary.players}; `platform` is -1 when unknown. */
export const PLAYER = {
  id: 0, name: 1, platform: 2, kills: 3, deaths: 4, suicides: 5, longestKill: 6, lastSeen: 7,
  lead: 8, reset: 9, tail: 10, best: 11, weaponsFrom: 12, weaponsTo: 13, size: 14,
} as const;

/**
 * Offsets of a player-day's numbers in {@link PackedSummary.dayPlayers}. Its pair entries are
 * `victimsFrom` up to `killersFrom` (victims), then up to `pairsTo` (killers), counted in entries.
 */
export const DAY_PLAYER = {
  day: 0, id: 1, kills: 2, deaths: 3, suicides: 4, longestKill: 5, weaponsFrom: 6, weaponsTo: 7,
  victimsFrom: 8, killersFrom: 9, pairsTo: 10, size: 11,
} as const;

/** Packs a summary's players, days and pairs. Totals and times stay with the caller. */
export function packSummary(summary: StatsSummary): PackedSummary {
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
  const players: number[] = [];
  const rows = new Map<string, number>();
  const addPlayer = (p: PlayerTally): number => {
    const [from, to] = addWeapons(p.weapons);
    const s = p.streak;
    rows.set(p.id, players.length / PLAYER.size);
    players.push(at(p.id), at(p.name), p.platform === undefined ? -1 : at(p.platform), p.kills, p.deaths, p.suicides,
      p.longestKill, p.lastSeen, s.lead, s.reset ? 1 : 0, s.tail, s.best, from, to);
    return rows.size - 1;
  };
  for (const p of summary.players.values()) addPlayer(p);
  // Pair ends always have a tally in a parsed summary; this only keeps a hand-built one whole.
  const rowOf = (id: string): number => rows.get(id) ?? addPlayer(noFigures(id));
  const dayPlayers: number[] = [];
  const pairs: number[] = [];
  for (const [day, d] of summary.days) {
    const dayAt = at(day);
    const { victims, killers } = pairListsOf(d, rowOf);
    const addDayPlayer = (id: string, t: DayTally): void => {
      const [from, to] = addWeapons(t.weapons);
      const victimsFrom = pairs.length / 2;
      for (const n of victims.get(id) ?? []) pairs.push(n);
      const killersFrom = pairs.length / 2;
      for (const n of killers.get(id) ?? []) pairs.push(n);
      dayPlayers.push(dayAt, at(id), t.kills, t.deaths, t.suicides, t.longestKill, from, to, victimsFrom, killersFrom, pairs.length / 2);
    };
    for (const [id, t] of d.players) addDayPlayer(id, t);
    for (const id of new Set([...victims.keys(), ...killers.keys()])) {
      if (!d.players.has(id)) addDayPlayer(id, { kills: 0, deaths: 0, suicides: 0, longestKill: 0, weapons: new Map() });
    }
  }
  return {
    strings, players: Float64Array.from(players), dayPlayers: Float64Array.from(dayPlayers),
    weapons: Float64Array.from(weapons), pairs: Int32Array.from(pairs),
  };
}

/** A day's pairs as flat [row, count...] lists per player: victims per killer, killers per victim. */
function pairListsOf(d: DayStats, rowOf: (id: string) => number): { victims: Map<string, number[]>; killers: Map<string, number[]> } {
  const victims = new Map<string, number[]>();
  const killers = new Map<string, number[]>();
  for (const [killerId, byVictim] of d.pairs) {
    const killerRow = rowOf(killerId);
    const list: number[] = [];
    for (const [victimId, kills] of byVictim) {
      const victimRow = rowOf(victimId);
      list.push(victimRow, kills);
      listOf(killers, victimId).push(killerRow, kills);
    }
    victims.set(killerId, list);
  }
  return { victims, killers };
}

function listOf(lists: Map<string, number[]>, id: string): number[] {
  let list = lists.get(id);
  if (!list) lists.set(id, (list = []));
  return list;
}

function noFigures(id: string): PlayerTally {
  return { id, name: '', kills: 0, deaths: 0, suicides: 0, longestKill: 0, lastSeen: 0, weapons: new Map(), streak: { lead: 0, reset: false, tail: 0, best: 0 } };
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
