import { DAY_PLAYER, dayPairs, emptyTotals, joinStreak, PLAYER, type PackedSummary, type PlayerTally, type StatsSummary, type StreakState, type Totals } from '../../parsers/index.js';
import { buildSegment, type PairEntries } from './pair-segment.js';
import type { PlayerNumbers } from './player-numbers.js';
import { WeaponCounts, WeaponTable } from './weapon-counts.js';

/** One player's all-time delta in a batch (the `player` document's update): the parsers' tally, plus a base. */
export interface PlayerDelta extends Omit<PlayerTally, 'weapons'> {
  /** PvP kills per weapon, by the batch's weapon numbers ({@link BatchTally.weapons}). */
  weapons: WeaponCounts;
  /** The player's number on the server (player-numbers.ts), which killer-victim segments refer to. */
  no: number;
  /**
   * The player's stored current streak before this batch, when read (streak-bases.ts): with it the
   * update needs no pipeline. Absent when the join does not need it.
   */
  baseStreak?: number;
}

/** One player's delta within one UTC day (the `day` document's update), killer-victim counts included. */
export interface DayDelta {
  kills: number;
  deaths: number;
  suicides: number;
  longestKill: number;
  weapons: WeaponCounts;
  /** PvP kills of this player per victim, and deaths per killer, by player number (ticks; made when first needed). */
  victims: Map<number, number> | null;
  killedBy: Map<number, number> | null;
  /** Counts that arrived packed (history runs), already numbered. */
  packed: PairEntries[];
  /** All of the above as the one segment the batch stores, once built (see {@link daySegment}). */
  segment: Int32Array | null;
}

/**
 * Everything one batch adds to the store, shaped like the documents it updates: per player, and per
 * day per player. Built in place from the parsed chunks' summaries: `mergeSummaries` copies both
 * sides, which over a batch of a few hundred chunks is quadratic; this is linear.
 */
export interface BatchTally {
  totals: Totals;
  firstTime: number | null;
  lastTime: number | null;
  players: Map<string, PlayerDelta>;
  /** `YYYY-MM-DD` -> EOS id -> the player's figures that day. */
  days: Map<string, Map<string, DayDelta>>;
  /** The weapons the counts refer to by number. */
  weapons: WeaponTable;
  /** An upper bound of the tally's encoded size (tally-codec.ts), in bytes: what bounds a batch. */
  bytes: number;
}

/** Encoded bytes per part, rounded up (see tally-codec.ts): numbers up to 15 digits. */
const PLAYER_BYTES = 176;
const DAY_PLAYER_BYTES = 96;
const COUNT_BYTES = 24;
/** A killer-victim entry: two int32s in the record's binary part. */
const PAIR_BYTES = 8;

export function emptyTally(): BatchTally {
  return { totals: emptyTotals(), firstTime: null, lastTime: null, players: new Map(), days: new Map(), weapons: new WeaponTable(), bytes: 64 };
}

/** Adds a later chunk's summary to the tally (mutates the tally only); new players get their numbers from `numbers`. */
export function addSummary(t: BatchTally, s: StatsSummary, numbers: PlayerNumbers): void {
  for (const key of Object.keys(t.totals) as (keyof Totals)[]) t.totals[key] += s.totals[key];
  if (s.firstTime !== null && (t.firstTime === null || s.firstTime < t.firstTime)) t.firstTime = s.firstTime;
  if (s.lastTime !== null && (t.lastTime === null || s.lastTime > t.lastTime)) t.lastTime = s.lastTime;
  for (const p of s.players.values()) {
    const e = t.players.get(p.id);
    if (!e) {
      const fresh: PlayerDelta = { ...p, no: numbers.numberOf(p.id), streak: { ...p.streak }, weapons: new WeaponCounts(t.weapons.names.length) };
      t.bytes += PLAYER_BYTES + textBytes(p.id) + textBytes(p.name) + textBytes(p.platform ?? '');
      t.bytes += addCounts(t, fresh.weapons, p.weapons);
      t.players.set(p.id, fresh);
      continue;
    }
    if (p.name !== '') e.name = p.name;
    if (p.platform !== undefined) e.platform = p.platform;
    e.kills += p.kills;
    e.deaths += p.deaths;
    e.suicides += p.suicides;
    if (p.longestKill > e.longestKill) e.longestKill = p.longestKill;
    if (p.lastSeen > e.lastSeen) e.lastSeen = p.lastSeen;
    e.streak = joinStreak(e.streak, p.streak);
    t.bytes += addCounts(t, e.weapons, p.weapons);
  }
  for (const [day, d] of s.days) {
    const players = dayOf(t, day);
    for (const [id, dt] of d.players) {
      const e = dayDelta(t, players, id);
      e.kills += dt.kills;
      e.deaths += dt.deaths;
      e.suicides += dt.suicides;
      if (dt.longestKill > e.longestKill) e.longestKill = dt.longestKill;
      t.bytes += addCounts(t, e.weapons, dt.weapons);
    }
    for (const [killerId, victimId, kills] of dayPairs(d)) {
      const killer = dayDelta(t, players, killerId);
      const victim = dayDelta(t, players, victimId);
      if (bump((killer.victims ??= new Map()), numbers.numberOf(victimId), kills)) t.bytes += PAIR_BYTES;
      if (bump((victim.killedBy ??= new Map()), numbers.numberOf(killerId), kills)) t.bytes += PAIR_BYTES;
    }
  }
}

/** Rows folded per step of {@link addPackedInSteps}: a few ms each. */
const ROWS_PER_STEP = 500;

/**
 * Adds a later chunk's packed players and days (a history run's worker output; totals and times
 * come with its summary), pausing every few hundred rows: a history slice holds thousands of players
 * and player-days, too much for one step of the event loop. The tally is whole only at the end.
 * Reads the rows in place: no object per row or pair. Pair entries refer to the chunk's player
 * rows; they are renumbered to the server's numbers in one pass over a copy.
 */
export function* addPackedInSteps(t: BatchTally, packed: PackedSummary, numbers: PlayerNumbers): Generator<void, void> {
  const { strings: str, players: p, dayPlayers: d } = packed;
  const text = (i: number | undefined): string => str[i ?? -1] ?? '';
  const rowNo = new Int32Array(p.length / PLAYER.size);
  const weaponOf = weaponNumbers(t, packed);
  for (let r = 0; r < p.length; r += PLAYER.size) {
    const id = text(p[r + PLAYER.id]);
    const name = text(p[r + PLAYER.name]);
    const platformAt = p[r + PLAYER.platform] ?? -1;
    const streak: StreakState = { lead: p[r + PLAYER.lead] ?? 0, reset: p[r + PLAYER.reset] === 1, tail: p[r + PLAYER.tail] ?? 0, best: p[r + PLAYER.best] ?? 0 };
    let e = t.players.get(id);
    if (!e) {
      e = { id, no: numbers.numberOf(id), name, kills: 0, deaths: 0, suicides: 0, longestKill: 0, lastSeen: p[r + PLAYER.lastSeen] ?? 0, streak, weapons: new WeaponCounts(t.weapons.names.length) };
      t.players.set(id, e);
      t.bytes += PLAYER_BYTES + textBytes(id) + textBytes(name) + (platformAt >= 0 ? textBytes(text(platformAt)) : 0);
    } else {
      if (name !== '') e.name = name;
      e.streak = joinStreak(e.streak, streak);
    }
    rowNo[r / PLAYER.size] = e.no;
    if (platformAt >= 0) e.platform = text(platformAt);
    e.kills += p[r + PLAYER.kills] ?? 0;
    e.deaths += p[r + PLAYER.deaths] ?? 0;
    e.suicides += p[r + PLAYER.suicides] ?? 0;
    e.longestKill = Math.max(e.longestKill, p[r + PLAYER.longestKill] ?? 0);
    e.lastSeen = Math.max(e.lastSeen, p[r + PLAYER.lastSeen] ?? 0);
    t.bytes += addPackedWeapons(t, e.weapons, packed, weaponOf, p[r + PLAYER.weaponsFrom] ?? 0, p[r + PLAYER.weaponsTo] ?? 0);
    if ((r / PLAYER.size) % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  const pairs = packed.pairs.slice();
  for (let i = 0; i < pairs.length; i += 2) pairs[i] = rowNo[pairs[i] as number] as number;
  let dayAt = -1;
  let players = new Map<string, DayDelta>();
  for (let r = 0; r < d.length; r += DAY_PLAYER.size) {
    if (d[r + DAY_PLAYER.day] !== dayAt) {
      dayAt = d[r + DAY_PLAYER.day] ?? -1;
      players = dayOf(t, text(dayAt));
    }
    const e = dayDelta(t, players, text(d[r + DAY_PLAYER.id]));
    e.kills += d[r + DAY_PLAYER.kills] ?? 0;
    e.deaths += d[r + DAY_PLAYER.deaths] ?? 0;
    e.suicides += d[r + DAY_PLAYER.suicides] ?? 0;
    e.longestKill = Math.max(e.longestKill, d[r + DAY_PLAYER.longestKill] ?? 0);
    t.bytes += addPackedWeapons(t, e.weapons, packed, weaponOf, d[r + DAY_PLAYER.weaponsFrom] ?? 0, d[r + DAY_PLAYER.weaponsTo] ?? 0);
    const from = d[r + DAY_PLAYER.victimsFrom] ?? 0;
    const to = d[r + DAY_PLAYER.pairsTo] ?? 0;
    if (to > from) {
      e.packed.push({ entries: pairs.subarray(2 * from, 2 * to), victims: (d[r + DAY_PLAYER.killersFrom] ?? 0) - from });
      t.bytes += (to - from) * PAIR_BYTES;
    }
    if ((r / DAY_PLAYER.size) % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
}

/**
 * The player-day's killer-victim counts of the whole batch as one stored segment, or null when it
 * has none. Built once: the pending record and the day document's update both write it.
 */
export function daySegment(d: DayDelta): Int32Array | null {
  if (d.segment === null && (d.victims !== null || d.killedBy !== null || d.packed.length > 0)) {
    d.segment = buildSegment(d.victims ?? NONE, d.killedBy ?? NONE, d.packed);
    d.victims = null;
    d.killedBy = null;
    d.packed = [];
  }
  return d.segment;
}

/** The batch's weapon number of every string of a packed chunk that names a weapon (-1 for the others). */
function weaponNumbers(t: BatchTally, packed: PackedSummary): Int32Array {
  const out = new Int32Array(packed.strings.length).fill(-1);
  for (let i = 0; i < packed.weapons.length; i += 2) {
    const at = packed.weapons[i] as number;
    if (out[at] === -1) out[at] = t.weapons.idOf(packed.strings[at] ?? '');
  }
  return out;
}

const NONE: ReadonlyMap<number, number> = new Map();

function addPackedWeapons(t: BatchTally, into: WeaponCounts, packed: PackedSummary, weaponOf: Int32Array, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i += 1) {
    const id = weaponOf[packed.weapons[2 * i] as number] as number;
    if (into.add(id, packed.weapons[2 * i + 1] as number)) bytes += COUNT_BYTES + textBytes(t.weapons.names[id] as string);
  }
  return bytes;
}

function dayOf(t: BatchTally, day: string): Map<string, DayDelta> {
  let players = t.days.get(day);
  if (!players) t.days.set(day, (players = new Map()));
  return players;
}

function dayDelta(t: BatchTally, players: Map<string, DayDelta>, id: string): DayDelta {
  let e = players.get(id);
  if (!e) {
    e = { kills: 0, deaths: 0, suicides: 0, longestKill: 0, weapons: new WeaponCounts(t.weapons.names.length), victims: null, killedBy: null, packed: [], segment: null };
    players.set(id, e);
    t.bytes += DAY_PLAYER_BYTES;
  }
  return e;
}

/** Adds weapon counts into `into`; returns the encoded bytes the new weapons add. */
function addCounts(t: BatchTally, into: WeaponCounts, from: ReadonlyMap<string, number>): number {
  let bytes = 0;
  for (const [weapon, n] of from) if (into.add(t.weapons.idOf(weapon), n)) bytes += COUNT_BYTES + textBytes(weapon);
  return bytes;
}

/** Adds `n` to a count; true when the key is new. */
function bump<K>(into: Map<K, number>, key: K, n: number): boolean {
  const before = into.get(key);
  into.set(key, (before ?? 0) + n);
  return before === undefined;
}

/** Bound of a string's JSON text in UTF-8: escapes take at most 6 bytes per UTF-16 unit. */
function textBytes(s: string): number {
  return 2 + (/^[\w .\-']*$/.test(s) ? s.length : 6 * s.length);
}
