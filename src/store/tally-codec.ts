import type { Totals } from '../../parsers/index.js';
import type { BatchTally, DayDelta, PlayerDelta } from './batch-tally.js';

/**
 * A {@link BatchTally} as the text of a pending batch record. JSON text in one string field, not a
 * document tree: the record is written once per batch and read back only after a crash, and one
 * string is far cheaper to encode and store than a tree of a hundred thousand small arrays.
 * EOS ids are written once, in a table; killer-victim counts refer to them by index.
 * Maps become flat `[key, count, key, count...]` arrays, so names like `__proto__` stay data.
 * Packed killer-victim segments (JSON text already) are embedded as JSON values, not as quoted
 * strings: no escaping on the way in, and `JSON.stringify` gives their exact text back on the way out.
 */
interface EncodedTally {
  v: 1 | 2;
  totals: Totals;
  firstTime: number | null;
  lastTime: number | null;
  ids: string[];
  /** [id index, name, kills, deaths, suicides, longestKill, lastSeen, platform | null, lead, reset 0/1, tail, best, weapons, stored streak | null (v2)] */
  players: [number, string, number, number, number, number, number, string | null, number, number, number, number, (string | number)[], (number | null)?][];
  /** [day, [[id index, kills, deaths, suicides, longestKill, weapons, victims by index, killers by index, segments (v2)]]] */
  days: [string, [number, number, number, number, number, (string | number)[], number[], number[], unknown[]?][]][];
}

export function encodeTally(t: BatchTally): string {
  const steps = encodeSteps(t);
  for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
}

/**
 * {@link encodeTally} in steps of a few hundred player-days, yielding to the event loop between
 * them: a history batch's record is megabytes of text, tens of ms to build in one go.
 */
export async function encodeTallyInSteps(t: BatchTally): Promise<string> {
  const steps = encodeSteps(t);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const ROWS_PER_STEP = 500;

function* encodeSteps(t: BatchTally): Generator<void, string> {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const at = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      index.set(id, (i = ids.length));
      ids.push(id);
    }
    return i;
  };
  const players: EncodedTally['players'] = [];
  for (const p of t.players.values()) {
    const s = p.streak;
    players.push([at(p.id), p.name, p.kills, p.deaths, p.suicides, p.longestKill, p.lastSeen, p.platform ?? null,
      s.lead, s.reset ? 1 : 0, s.tail, s.best, flat(p.weapons, (k) => k), p.baseStreak ?? null]);
  }
  const head = JSON.stringify({ v: 2, totals: t.totals, firstTime: t.firstTime, lastTime: t.lastTime, players });
  yield;
  // Days by hand, to embed the segments raw; ids last, since the days add to them.
  const days: string[] = [];
  let done = 0;
  for (const [day, byPlayer] of t.days) {
    const rows: string[] = [];
    for (const [id, d] of byPlayer) {
      const fixed = JSON.stringify([at(id), d.kills, d.deaths, d.suicides, d.longestKill, flat(d.weapons, (k) => k), flat(d.victims, at), flat(d.killedBy, at)]);
      rows.push(`${fixed.slice(0, -1)},[${d.segments.join(',')}]]`);
      if ((done += 1) % ROWS_PER_STEP === 0) yield;
    }
    days.push(`[${JSON.stringify(day)},[${rows.join(',')}]]`);
  }
  return `${head.slice(0, -1)},"days":[${days.join(',')}],"ids":${JSON.stringify(ids)}}`;
}

export function decodeTally(text: string): BatchTally {
  const e = JSON.parse(text) as EncodedTally;
  if (e.v !== 1 && e.v !== 2) throw new Error(`A pending batch was written in an unknown format (${String(e.v)}); finish it with the version that wrote it.`);
  const id = (i: number): string => e.ids[i] ?? '';
  const players = new Map<string, PlayerDelta>();
  for (const [i, name, kills, deaths, suicides, longestKill, lastSeen, platform, lead, reset, tail, best, weapons, base = null] of e.players) {
    const p: PlayerDelta = {
      id: id(i), name, kills, deaths, suicides, longestKill, lastSeen,
      streak: { lead, reset: reset === 1, tail, best }, weapons: unflat(weapons, String),
    };
    if (platform !== null) p.platform = platform;
    if (base !== null) p.baseStreak = base;
    players.set(p.id, p);
  }
  const days = new Map<string, Map<string, DayDelta>>();
  for (const [day, rows] of e.days) {
    const byPlayer = new Map<string, DayDelta>();
    for (const [i, kills, deaths, suicides, longestKill, weapons, victims, killedBy, segments = []] of rows) {
      byPlayer.set(id(i), {
        kills, deaths, suicides, longestKill,
        weapons: unflat(weapons, String), victims: unflat(victims, (k) => id(Number(k))), killedBy: unflat(killedBy, (k) => id(Number(k))),
        segments: segments.map((s) => JSON.stringify(s)),
      });
    }
    days.set(day, byPlayer);
  }
  return { totals: e.totals, firstTime: e.firstTime, lastTime: e.lastTime, players, days, bytes: text.length };
}

function flat<K extends string | number>(counts: ReadonlyMap<string, number>, key: (k: string) => K): (K | number)[] {
  const out: (K | number)[] = [];
  for (const [k, n] of counts) out.push(key(k), n);
  return out;
}

function unflat(items: readonly (string | number)[], key: (k: string | number) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < items.length; i += 2) out.set(key(items[i] as string | number), items[i + 1] as number);
  return out;
}
