import type { DayStats, PlayerTally, StatsSummary, StreakState, Totals } from '../../parsers/index.js';

/** A {@link StatsSummary} as BSON can hold it: Maps become arrays, so names like `__proto__` or `a.b` stay data. */
export interface EncodedSummary {
  totals: Totals;
  firstTime: number | null;
  lastTime: number | null;
  players: EncodedPlayer[];
  days: EncodedDay[];
}

export interface EncodedPlayer {
  id: string;
  name: string;
  kills: number;
  deaths: number;
  suicides: number;
  longestKill: number;
  weapons: [string, number][];
  streak: StreakState;
  platform?: string;
  lastSeen: number;
}

export interface EncodedDay {
  day: string;
  players: { id: string; kills: number; deaths: number; suicides: number; longestKill: number; weapons: [string, number][] }[];
  pairs: [string, number][];
}

/** Turns a summary into a plain document (for the pending batch record). */
export function encodeSummary(s: StatsSummary): EncodedSummary {
  return {
    totals: { ...s.totals },
    firstTime: s.firstTime,
    lastTime: s.lastTime,
    players: [...s.players.values()].map(encodePlayer),
    days: [...s.days].map(([day, d]) => encodeDay(day, d)),
  };
}

function encodePlayer(p: PlayerTally): EncodedPlayer {
  const out: EncodedPlayer = {
    id: p.id, name: p.name, kills: p.kills, deaths: p.deaths, suicides: p.suicides,
    longestKill: p.longestKill, weapons: [...p.weapons], streak: { ...p.streak }, lastSeen: p.lastSeen,
  };
  if (p.platform !== undefined) out.platform = p.platform;
  return out;
}

function encodeDay(day: string, d: DayStats): EncodedDay {
  return {
    day,
    players: [...d.players].map(([id, t]) => ({
      id, kills: t.kills, deaths: t.deaths, suicides: t.suicides, longestKill: t.longestKill, weapons: [...t.weapons],
    })),
    pairs: [...d.pairs],
  };
}

/** Rows a summary covers: what the writer's memory bound and flush size count. */
export function summaryRows(s: StatsSummary): number {
  return s.totals.rows;
}
