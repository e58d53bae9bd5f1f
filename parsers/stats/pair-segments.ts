/**
 * Killer-victim counts packed as text, one segment per player and day: the form the store keeps them
 * in (each day document holds a list of segments, readers add them up).
 *
 * Why the workers pack them: pairs number nearly one per PvP kill, so a `Map` keyed `killer>victim`
 * made the main thread deserialize, fold, encode and serialize about 0.7 entries per row. Packed in
 * the worker, a slice's pairs cross the thread boundary as one string per player-day (strings clone
 * as a copy of their bytes) and the main thread forwards them to the database without reading them.
 */
import type { DayStats, DayTally, StatsSummary } from './types.js';

/**
 * One player-day's killer-victim counts as JSON text `[[victimId, kills, ...], [killerId, deaths, ...]]`.
 * An id may appear more than once (readers sum), so segments of consecutive batches need no merging.
 */
export function encodePairs(victims: ReadonlyMap<string, number>, killedBy: ReadonlyMap<string, number>): string {
  return JSON.stringify([flatCounts(victims), flatCounts(killedBy)]);
}

function flatCounts(m: ReadonlyMap<string, number>): (string | number)[] {
  const out: (string | number)[] = [];
  for (const [id, n] of m) out.push(id, n);
  return out;
}

/** Adds one {@link encodePairs} segment into running victim and killer counts. */
export function addPairs(segment: string, victims: Map<string, number>, killedBy: Map<string, number>): void {
  const [v = [], k = []] = JSON.parse(segment) as [(string | number)[]?, (string | number)[]?];
  for (const [flat, into] of [[v, victims], [k, killedBy]] as const) {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = String(flat[i]);
      into.set(id, (into.get(id) ?? 0) + Number(flat[i + 1]));
    }
  }
}

/**
 * Moves every day's `pairs` into one segment per player on that day's tallies (`DayTally.segments`),
 * leaving `pairs` empty. The counts stay the same (see {@link dayPairs}). Mutates and returns `summary`.
 */
export function packPairs(summary: StatsSummary): StatsSummary {
  for (const day of summary.days.values()) packDay(day);
  return summary;
}

function packDay(day: DayStats): void {
  if (day.pairs.size === 0) return;
  // Flat [id, count, id, count...] lists per player, built straight from the `killer>victim` keys.
  const victims = new Map<string, (string | number)[]>();
  const killers = new Map<string, (string | number)[]>();
  for (const [pair, kills] of day.pairs) {
    // Keyed `${killerId}>${victimId}` by the reducer; EOS ids hold no `>`.
    const cut = pair.indexOf('>');
    const killerId = pair.slice(0, cut);
    const victimId = pair.slice(cut + 1);
    listOf(victims, killerId).push(victimId, kills);
    listOf(killers, victimId).push(killerId, kills);
  }
  const none: (string | number)[] = [];
  for (const [id, v] of victims) {
    segmentsOf(day, id).push(JSON.stringify([v, killers.get(id) ?? none]));
    killers.delete(id);
  }
  for (const [id, k] of killers) segmentsOf(day, id).push(JSON.stringify([none, k]));
  day.pairs.clear();
}

function listOf(lists: Map<string, (string | number)[]>, id: string): (string | number)[] {
  let list = lists.get(id);
  if (!list) lists.set(id, (list = []));
  return list;
}

function segmentsOf(day: DayStats, id: string): string[] {
  let tally = day.players.get(id);
  if (!tally) {
    // Killers and victims always have a tally that day; this only keeps a hand-built summary whole.
    tally = { kills: 0, deaths: 0, suicides: 0, longestKill: 0, weapons: new Map() };
    day.players.set(id, tally);
  }
  tally.segments ??= [];
  return tally.segments;
}

/** A day's killer-victim counts keyed `killer>victim`: its `pairs` plus its packed segments. */
export function dayPairs(day: DayStats): Map<string, number> {
  const out = new Map(day.pairs);
  for (const [id, tally] of day.players) {
    for (const segment of tally.segments ?? []) {
      // Each pair is in the killer's segment (as a victim) and in the victim's (as a killer): count the first.
      const victims = new Map<string, number>();
      addPairs(segment, victims, new Map());
      for (const [victimId, n] of victims) bumpPair(out, `${id}>${victimId}`, n);
    }
  }
  return out;
}

function bumpPair(into: Map<string, number>, key: string, n: number): void {
  into.set(key, (into.get(key) ?? 0) + n);
}

/** Copies a day tally's segment list (lists are never shared between summaries). */
export function copySegments(tally: Pick<DayTally, 'segments'>): { segments?: string[] } {
  return tally.segments === undefined ? {} : { segments: [...tally.segments] };
}
