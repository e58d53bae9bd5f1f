import type { DeathEvent } from '../death-log/types.js';
import type { DeathLogBatch } from '../death-log/parse.js';
import { emptyStreak, joinStreak, streakKill, streakReset } from './streak.js';
import type { DayStats, DayTally, PlayerTally, StatsSummary, Totals } from './types.js';

/** A summary of nothing: the identity of {@link mergeSummaries}. */
export function emptySummary(): StatsSummary {
  return { totals: emptyTotals(), players: new Map(), days: new Map(), firstTime: null, lastTime: null };
}

export function emptyTotals(): Totals {
  return { rows: 0, kills: 0, environment: 0, suicides: 0, relocations: 0, falls: 0, malformed: 0 };
}

/** Folds a parsed batch (events and malformed count) into a new summary. */
export function summarize(batch: Pick<DeathLogBatch, 'events' | 'malformed'>): StatsSummary {
  return addMalformed(addEvents(emptySummary(), batch.events), batch.malformed.length);
}

/** Counts malformed rows: they are rows, and change nothing else. Mutates and returns `summary`. */
export function addMalformed(summary: StatsSummary, count: number): StatsSummary {
  summary.totals.rows += count;
  summary.totals.malformed += count;
  return summary;
}

/**
 * Applies classified events, in order, by the counting rules. Mutates and returns `summary`.
 * `seasonStarts` (UTC ms) split a day where a season starts inside it: rows from a start on are
 * kept under the day key `YYYY-MM-DDTHH:MM:SS.sssZ` (the start's ISO time), so a season's figures
 * are exact to the row while keys still sort by time (src/store/README.md, Seasons).
 */
export function addEvents(summary: StatsSummary, events: readonly DeathEvent[], seasonStarts: readonly number[] = []): StatsSummary {
  // Rows come in time order, so the day changes rarely: look it up only when it leaves its span.
  let from = Infinity;
  let until = -Infinity;
  let day: DayStats | undefined;
  for (const event of events) {
    if (event.time < from || event.time >= until || !day) {
      const span = daySpan(event.time, seasonStarts);
      ({ from, until } = span);
      day = dayOf(summary, span.key);
    }
    addEvent(summary, event, day);
  }
  return summary;
}

/** The day key of a time and the span of times sharing it: a UTC day, cut at any season start inside it. */
export function daySpan(time: number, seasonStarts: readonly number[]): { key: string; from: number; until: number } {
  let from = Math.floor(time / DAY_MS) * DAY_MS;
  let until = from + DAY_MS;
  let key = new Date(from).toISOString().slice(0, 10);
  for (const start of seasonStarts) {
    if (start > from && start <= time) {
      from = start;
      key = new Date(start).toISOString();
    } else if (start > time && start < until) until = start;
  }
  return { key, from, until };
}

const DAY_MS = 86_400_000;

function addEvent(summary: StatsSummary, e: DeathEvent, day: DayStats): void {
  const { totals } = summary;
  totals.rows += 1;
  if (summary.firstTime === null || e.time < summary.firstTime) summary.firstTime = e.time;
  if (summary.lastTime === null || e.time > summary.lastTime) summary.lastTime = e.time;
  const victim = player(summary, e.victimId, e.victimName, e.victimPlatform, e.time);
  const victimDay = dayPlayer(day, e.victimId);
  if (e.kind === 'suicide') {
    totals.suicides += 1;
    if (e.suicideCause === 'relocation') totals.relocations += 1;
    else if (e.suicideCause === 'fall') totals.falls += 1;
    victim.suicides += 1;
    victimDay.suicides += 1;
    streakReset(victim.streak);
    return;
  }
  victim.deaths += 1;
  victimDay.deaths += 1;
  streakReset(victim.streak);
  if (e.kind === 'environment') {
    totals.environment += 1;
    return;
  }
  totals.kills += 1;
  const killer = player(summary, e.killerId, e.killerName, e.killerPlatform, e.time);
  const killerDay = dayPlayer(day, e.killerId);
  killer.kills += 1;
  killerDay.kills += 1;
  bump(killer.weapons, e.weapon, 1);
  bump(killerDay.weapons, e.weapon, 1);
  if (e.distance > killer.longestKill) killer.longestKill = e.distance;
  if (e.distance > killerDay.longestKill) killerDay.longestKill = e.distance;
  streakKill(killer.streak);
  bump(victimsOf(day, e.killerId), e.victimId, 1);
}

function player(summary: StatsSummary, id: string, name: string, platform: string | undefined, time: number): PlayerTally {
  let p = summary.players.get(id);
  if (!p) {
    p = { id, name, kills: 0, deaths: 0, suicides: 0, longestKill: 0, weapons: new Map(), streak: emptyStreak(), lastSeen: time };
    summary.players.set(id, p);
  }
  // The latest name seen wins, but a row with the name missing does not erase a known one.
  if (name !== '') p.name = name;
  if (platform) p.platform = platform;
  if (time > p.lastSeen) p.lastSeen = time;
  return p;
}

function dayOf(summary: StatsSummary, key: string): DayStats {
  let day = summary.days.get(key);
  if (!day) {
    day = { players: new Map(), pairs: new Map() };
    summary.days.set(key, day);
  }
  return day;
}

/** The killer's victims that day, with the kills on each. */
function victimsOf(day: DayStats, killerId: string): Map<string, number> {
  let victims = day.pairs.get(killerId);
  if (!victims) day.pairs.set(killerId, (victims = new Map()));
  return victims;
}

/** Every killer-victim pair of a day with its kills. */
export function* dayPairs(day: DayStats): Generator<[killerId: string, victimId: string, kills: number]> {
  for (const [killerId, victims] of day.pairs) for (const [victimId, kills] of victims) yield [killerId, victimId, kills];
}

function dayPlayer(day: DayStats, id: string): DayTally {
  let t = day.players.get(id);
  if (!t) {
    t = emptyDayTally();
    day.players.set(id, t);
  }
  return t;
}

function emptyDayTally(): DayTally {
  return { kills: 0, deaths: 0, suicides: 0, longestKill: 0, weapons: new Map() };
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Merges two summaries of consecutive batches (`earlier` first) into a new one, equal to the summary
 * of both batches' rows applied in order. Neither input is changed.
 */
export function mergeSummaries(earlier: StatsSummary, later: StatsSummary): StatsSummary {
  return mergeInto(mergeInto(emptySummary(), earlier), later);
}

/**
 * Folds `later` into `into` in place (`into` holds the earlier rows) and returns `into`. Costs what
 * `later` holds, not what `into` has accumulated: the way to fold many batches. `later` is not changed.
 */
export function mergeInto(into: StatsSummary, later: StatsSummary): StatsSummary {
  into.totals = sumTotals(into.totals, later.totals);
  for (const [id, p] of later.players) {
    const e = into.players.get(id);
    if (e) mergePlayerInto(e, p);
    else into.players.set(id, clonePlayer(p));
  }
  for (const [key, d] of later.days) {
    const day = into.days.get(key);
    if (day) mergeDayInto(day, d);
    else into.days.set(key, mergeDayInto({ players: new Map(), pairs: new Map() }, d));
  }
  into.firstTime = minOf(into.firstTime, later.firstTime);
  into.lastTime = maxOf(into.lastTime, later.lastTime);
  return into;
}

/** Row counts of two batches together. */
export function sumTotals(a: Totals, b: Totals): Totals {
  const out = emptyTotals();
  for (const key of Object.keys(out) as (keyof Totals)[]) out[key] = a[key] + b[key];
  return out;
}

function mergePlayerInto(e: PlayerTally, l: PlayerTally): void {
  if (l.name !== '') e.name = l.name;
  e.kills += l.kills;
  e.deaths += l.deaths;
  e.suicides += l.suicides;
  if (l.longestKill > e.longestKill) e.longestKill = l.longestKill;
  addCountsInto(e.weapons, l.weapons);
  e.streak = joinStreak(e.streak, l.streak);
  if (l.lastSeen > e.lastSeen) e.lastSeen = l.lastSeen;
  if (l.platform !== undefined) e.platform = l.platform;
}

function clonePlayer(p: PlayerTally): PlayerTally {
  return { ...p, weapons: new Map(p.weapons), streak: { ...p.streak } };
}

function mergeDayInto(out: DayStats, d: DayStats): DayStats {
  for (const [id, t] of d.players) {
    const e = out.players.get(id);
    if (!e) {
      out.players.set(id, { ...t, weapons: new Map(t.weapons) });
      continue;
    }
    e.kills += t.kills;
    e.deaths += t.deaths;
    e.suicides += t.suicides;
    if (t.longestKill > e.longestKill) e.longestKill = t.longestKill;
    addCountsInto(e.weapons, t.weapons);
  }
  for (const [killerId, victims] of d.pairs) addCountsInto(victimsOf(out, killerId), victims);
  return out;
}

function addCountsInto(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) bump(into, k, v);
}

function minOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
