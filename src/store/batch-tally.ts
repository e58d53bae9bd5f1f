import { DAY_PLAYER, emptyTotals, joinStreak, PLAYER, type PackedSummary, type PlayerTally, type StatsSummary, type StreakState, type Totals } from '../../parsers/index.js';
import { segmentAt } from '../../parsers/stats/packed-summary.js';

/** One player's all-time delta in a batch (the `player` document's update): the parsers' tally, plus a base. */
export interface PlayerDelta extends PlayerTally {
  /**
   * The player's stored current streak before this batch, when read (streak-bases.ts): with it the
   * update needs no pipeline. Absent when the join does not need it, or in a record of an older version.
   */
  baseStreak?: number;
}

/** One player's delta within one UTC day (the `day` document's update), killer-victim counts included. */
export interface DayDelta {
  kills: number;
  deaths: number;
  suicides: number;
  longestKill: number;
  weapons: Map<string, number>;
  /** PvP kills of this player per victim EOS id. */
  victims: Map<string, number>;
  /** PvP deaths of this player per killer EOS id. */
  killedBy: Map<string, number>;
  /** Killer-victim counts that arrived packed (`DayTally.segments`), kept as the text they came in. */
  segments: string[];
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
  /**
   * An upper bound of the tally's encoded size (tally-codec.ts), in bytes: what bounds a batch,
   * since its pending record must stay far below MongoDB's 16 MB document limit.
   */
  bytes: number;
}

/** Encoded bytes per part, rounded up (see tally-codec.ts): numbers up to 15 digits. */
const PLAYER_BYTES = 160;
const DAY_PLAYER_BYTES = 90;
const COUNT_BYTES = 24;

export function emptyTally(): BatchTally {
  return { totals: emptyTotals(), firstTime: null, lastTime: null, players: new Map(), days: new Map(), bytes: 64 };
}

/** Adds a later chunk's summary to the tally (mutates the tally only). */
export function addSummary(t: BatchTally, s: StatsSummary): void {
  for (const key of Object.keys(t.totals) as (keyof Totals)[]) t.totals[key] += s.totals[key];
  if (s.firstTime !== null && (t.firstTime === null || s.firstTime < t.firstTime)) t.firstTime = s.firstTime;
  if (s.lastTime !== null && (t.lastTime === null || s.lastTime > t.lastTime)) t.lastTime = s.lastTime;
  for (const p of s.players.values()) {
    const e = t.players.get(p.id);
    if (!e) {
      const fresh: PlayerDelta = { ...p, streak: { ...p.streak }, weapons: new Map() };
      t.bytes += PLAYER_BYTES + textBytes(p.id) + textBytes(p.name) + textBytes(p.platform ?? '');
      t.bytes += addCounts(fresh.weapons, p.weapons);
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
    t.bytes += addCounts(e.weapons, p.weapons);
  }
  for (const [day, d] of s.days) {
    let players = t.days.get(day);
    if (!players) t.days.set(day, (players = new Map()));
    for (const [id, dt] of d.players) {
      const e = dayDelta(t, players, id);
      e.kills += dt.kills;
      e.deaths += dt.deaths;
      e.suicides += dt.suicides;
      if (dt.longestKill > e.longestKill) e.longestKill = dt.longestKill;
      t.bytes += addCounts(e.weapons, dt.weapons);
      if (dt.segments) t.bytes += addSegments(e.segments, dt.segments, 0, dt.segments.length);
    }
    for (const [pair, kills] of d.pairs) {
      // Keyed `${killerId}>${victimId}` by the parsers; EOS ids hold no `>`.
      const cut = pair.indexOf('>');
      const killerId = pair.slice(0, cut);
      const victimId = pair.slice(cut + 1);
      // Encoded by player index, not id (both are in the batch's players), hence no text bytes.
      if (bump(dayDelta(t, players, killerId).victims, victimId, kills)) t.bytes += COUNT_BYTES;
      if (bump(dayDelta(t, players, victimId).killedBy, killerId, kills)) t.bytes += COUNT_BYTES;
    }
  }
}

/**
 * Adds a later chunk's packed players and days (a history run's worker output; totals and times
 * come with its summary). Reads the rows in place: no object per row, and segments stay text.
 */
export function addPacked(t: BatchTally, packed: PackedSummary): void {
  const { strings: str, players: p, dayPlayers: d } = packed;
  const text = (i: number | undefined): string => str[i ?? -1] ?? '';
  for (let r = 0; r < p.length; r += PLAYER.size) {
    const id = text(p[r + PLAYER.id]);
    const name = text(p[r + PLAYER.name]);
    const platformAt = p[r + PLAYER.platform] ?? -1;
    const streak: StreakState = { lead: p[r + PLAYER.lead] ?? 0, reset: p[r + PLAYER.reset] === 1, tail: p[r + PLAYER.tail] ?? 0, best: p[r + PLAYER.best] ?? 0 };
    let e = t.players.get(id);
    if (!e) {
      e = { id, name, kills: 0, deaths: 0, suicides: 0, longestKill: 0, lastSeen: p[r + PLAYER.lastSeen] ?? 0, streak, weapons: new Map() };
      t.players.set(id, e);
      t.bytes += PLAYER_BYTES + textBytes(id) + textBytes(name) + (platformAt >= 0 ? textBytes(text(platformAt)) : 0);
    } else {
      if (name !== '') e.name = name;
      e.streak = joinStreak(e.streak, streak);
    }
    if (platformAt >= 0) e.platform = text(platformAt);
    e.kills += p[r + PLAYER.kills] ?? 0;
    e.deaths += p[r + PLAYER.deaths] ?? 0;
    e.suicides += p[r + PLAYER.suicides] ?? 0;
    e.longestKill = Math.max(e.longestKill, p[r + PLAYER.longestKill] ?? 0);
    e.lastSeen = Math.max(e.lastSeen, p[r + PLAYER.lastSeen] ?? 0);
    t.bytes += addPackedWeapons(e.weapons, packed, p[r + PLAYER.weaponsFrom] ?? 0, p[r + PLAYER.weaponsTo] ?? 0);
  }
  let dayAt = -1;
  let players = new Map<string, DayDelta>();
  for (let r = 0; r < d.length; r += DAY_PLAYER.size) {
    if (d[r + DAY_PLAYER.day] !== dayAt) {
      dayAt = d[r + DAY_PLAYER.day] ?? -1;
      const day = text(dayAt);
      const known = t.days.get(day);
      if (known) players = known;
      else t.days.set(day, (players = new Map()));
    }
    const e = dayDelta(t, players, text(d[r + DAY_PLAYER.id]));
    e.kills += d[r + DAY_PLAYER.kills] ?? 0;
    e.deaths += d[r + DAY_PLAYER.deaths] ?? 0;
    e.suicides += d[r + DAY_PLAYER.suicides] ?? 0;
    e.longestKill = Math.max(e.longestKill, d[r + DAY_PLAYER.longestKill] ?? 0);
    t.bytes += addPackedWeapons(e.weapons, packed, d[r + DAY_PLAYER.weaponsFrom] ?? 0, d[r + DAY_PLAYER.weaponsTo] ?? 0);
    t.bytes += addPackedSegments(e.segments, packed, d[r + DAY_PLAYER.segmentsFrom] ?? 0, d[r + DAY_PLAYER.segmentsTo] ?? 0);
  }
}

function addPackedWeapons(into: Map<string, number>, packed: PackedSummary, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i += 1) {
    const weapon = packed.strings[packed.weapons[2 * i] ?? -1] ?? '';
    if (bump(into, weapon, packed.weapons[2 * i + 1] ?? 0)) bytes += COUNT_BYTES + textBytes(weapon);
  }
  return bytes;
}

function dayDelta(t: BatchTally, players: Map<string, DayDelta>, id: string): DayDelta {
  let e = players.get(id);
  if (!e) {
    e = { kills: 0, deaths: 0, suicides: 0, longestKill: 0, weapons: new Map(), victims: new Map(), killedBy: new Map(), segments: [] };
    players.set(id, e);
    t.bytes += DAY_PLAYER_BYTES;
  }
  return e;
}

/** Adds weapon counts into `into`; returns the encoded bytes the new keys add. */
function addCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): number {
  let bytes = 0;
  for (const [key, n] of from) if (bump(into, key, n)) bytes += COUNT_BYTES + textBytes(key);
  return bytes;
}

/** Keeps packed segments as they are (the worker built them); returns their exact encoded bytes. */
function addSegments(into: string[], segments: readonly string[], from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i += 1) {
    const segment = segments[i] ?? '';
    into.push(segment);
    // Embedded in the pending record as JSON, not as a quoted string: its own bytes and a comma.
    bytes += Buffer.byteLength(segment) + 1;
  }
  return bytes;
}

/** {@link addSegments} for a packed summary's segments, sliced out of its one text (no copy). */
function addPackedSegments(into: string[], packed: PackedSummary, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i += 1) {
    const segment = segmentAt(packed, i);
    into.push(segment);
    bytes += Buffer.byteLength(segment) + 1;
  }
  return bytes;
}

/** Adds `n` to a count; true when the key is new. */
function bump(into: Map<string, number>, key: string, n: number): boolean {
  const before = into.get(key);
  into.set(key, (before ?? 0) + n);
  return before === undefined;
}

/** Bound of a string's JSON text in UTF-8: escapes take at most 6 bytes per UTF-16 unit. */
function textBytes(s: string): number {
  return 2 + (/^[\w .\-']*$/.test(s) ? s.length : 6 * s.length);
}
