import { MongoClient } from 'mongodb';
import type { StatsSummary } from '../../parsers/index.js';

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
 */
export async function statsSnapshot(uri: string, dbName: string): Promise<string[]> {
  const client = new MongoClient(uri);
  try {
    const docs = await client.db(dbName).collection('stats').find({}).toArray();
    return docs.map((d) => {
      const { _id, appliedSeq, serverId, guildId, ...rest } = d;
      void appliedSeq; void guildId;
      const id = JSON.parse(String(_id)) as string[];
      return JSON.stringify([id.slice(1), serverId === id[0], sortKeys(rest)]);
    }).sort();
  } finally {
    await client.close();
  }
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
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
