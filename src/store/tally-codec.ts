import type { Totals } from '../../parsers/index.js';
import type { BatchTally, DayDelta, PlayerDelta } from './batch-tally.js';

/**
 * A {@link BatchTally} as the text of a pending batch record. JSON text in one string field, not a
 * document tree: the record is written once per batch and read back only after a crash, and one
 * string is far cheaper to encode and store than a tree of a hundred thousand small arrays.
 * EOS ids are written once, in a table; killer-victim counts refer to them by index.
 * Maps become flat `[key, count, key, count...]` arrays, so names like `__proto__` stay data.
 */
interface EncodedTally {
  v: 1;
  totals: Totals;
  firstTime: number | null;
  lastTime: number | null;
  ids: string[];
  /** [id index, name, kills, deaths, suicides, longestKill, lastSeen, platform | null, lead, reset 0/1, tail, best, weapons] */
  players: [number, string, number, number, number, number, number, string | null, number, number, number, number, (string | number)[]][];
  /** [day, [[id index, kills, deaths, suicides, longestKill, weapons, victims by index, killers by index]]] */
  days: [string, [number, number, number, number, number, (string | number)[], number[], number[]][]][];
}

export function encodeTally(t: BatchTally): string {
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
      s.lead, s.reset ? 1 : 0, s.tail, s.best, flat(p.weapons, (k) => k)]);
  }
  const days: EncodedTally['days'] = [];
  for (const [day, byPlayer] of t.days) {
    const rows: EncodedTally['days'][number][1] = [];
    for (const [id, d] of byPlayer) {
      rows.push([at(id), d.kills, d.deaths, d.suicides, d.longestKill, flat(d.weapons, (k) => k), flat(d.victims, at), flat(d.killedBy, at)]);
    }
    days.push([day, rows]);
  }
  const encoded: EncodedTally = { v: 1, totals: t.totals, firstTime: t.firstTime, lastTime: t.lastTime, ids, players, days };
  return JSON.stringify(encoded);
}

export function decodeTally(text: string): BatchTally {
  const e = JSON.parse(text) as EncodedTally;
  if (e.v !== 1) throw new Error(`A pending batch was written in an unknown format (${String(e.v)}); finish it with the version that wrote it.`);
  const id = (i: number): string => e.ids[i] ?? '';
  const players = new Map<string, PlayerDelta>();
  for (const [i, name, kills, deaths, suicides, longestKill, lastSeen, platform, lead, reset, tail, best, weapons] of e.players) {
    const p: PlayerDelta = {
      id: id(i), name, kills, deaths, suicides, longestKill, lastSeen,
      streak: { lead, reset: reset === 1, tail, best }, weapons: unflat(weapons, String),
    };
    if (platform !== null) p.platform = platform;
    players.set(p.id, p);
  }
  const days = new Map<string, Map<string, DayDelta>>();
  for (const [day, rows] of e.days) {
    const byPlayer = new Map<string, DayDelta>();
    for (const [i, kills, deaths, suicides, longestKill, weapons, victims, killedBy] of rows) {
      byPlayer.set(id(i), {
        kills, deaths, suicides, longestKill,
        weapons: unflat(weapons, String), victims: unflat(victims, (k) => id(Number(k))), killedBy: unflat(killedBy, (k) => id(Number(k))),
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
