import { MongoClient, type Binary } from 'mongodb';
import type { StatsSummary } from '../../parsers/index.js';
import { addSegment } from '../../src/store/pair-segment.js';

/** Player figures as stored, one line each, keyed by EOS id: what two runs are compared on. */
export interface PlayerFigures {
  name: string;
  kills: number;
  deaths: number;
  suicides: number;
  longestKill: number;
  bestStreak: number;
  streak: number;
}

/**
 * Every aggregate document of a database with the batch guard and the server id taken out, sorted:
 * two runs that ingested the same rows must produce identical snapshots, whatever their batching.
 * Killer-victim segments are compared by what they add up to, by EOS id: players' numbers are the
 * order a run first met them in, not a figure.
 */
export async function statsSnapshot(uri: string, dbName: string): Promise<string[]> {
  const client = new MongoClient(uri);
  try {
    const docs = await client.db(dbName).collection('stats').find({}).toArray();
    const idOf = new Map(docs.filter((d) => d.k === 'player').map((d) => [`${String(d.serverId)}|${String(d.no)}`, String(d.playerId)]));
    return docs.map((d) => {
      const { _id, appliedSeq, serverId, guildId, no, ...rest } = d;
      void appliedSeq; void guildId;
      const id = JSON.parse(String(_id)) as string[];
      if (d.k === 'player' && typeof no !== 'number') rest.no = 'missing';
      if (Array.isArray(rest.pairs)) rest.pairs = summedPairs(rest.pairs as Binary[], (n) => idOf.get(`${String(serverId)}|${n}`) ?? `unknown player #${n}`);
      return JSON.stringify([id.slice(1), serverId === id[0], sortKeys(rest)]);
    }).sort();
  } finally {
    await client.close();
  }
}

function summedPairs(segments: readonly Binary[], idOf: (no: number) => string): Record<string, unknown> {
  const victims = new Map<number, number>();
  const killers = new Map<number, number>();
  for (const segment of segments) addSegment(segment, victims, killers);
  const byId = (m: Map<number, number>) => Object.fromEntries([...m].map(([n, count]) => [idOf(n), count]));
  return { victims: byId(victims), killedBy: byId(killers) };
}

/** Keys sorted at every depth: map entries (weapons, victims) arrive in an order that depends on batching. */
function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => [k, v !== null && typeof v === 'object' && !Array.isArray(v) ? sortKeys(v as Record<string, unknown>) : v]));
}

/** The per-player figures the pure reference says the store must hold. */
export function expectedPlayers(summary: StatsSummary): Map<string, PlayerFigures> {
  const out = new Map<string, PlayerFigures>();
  for (const p of summary.players.values()) {
    out.set(p.id, { name: p.name, kills: p.kills, deaths: p.deaths, suicides: p.suicides, longestKill: p.longestKill, bestStreak: p.streak.best, streak: p.streak.tail });
  }
  return out;
}

/** The per-player figures stored in a database (all servers of the database summed are not needed: one server). */
export async function storedPlayers(uri: string, dbName: string): Promise<Map<string, PlayerFigures>> {
  const client = new MongoClient(uri);
  try {
    const docs = await client.db(dbName).collection('stats').find({ k: 'player' }).toArray();
    return new Map(docs.map((d) => [String(d.playerId), {
      name: String(d.name), kills: Number(d.kills), deaths: Number(d.deaths), suicides: Number(d.suicides),
      longestKill: Number(d.longestKill), bestStreak: Number(d.bestStreak), streak: Number(d.streak),
    }]));
  } finally {
    await client.close();
  }
}
