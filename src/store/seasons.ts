import type { Collection, Document } from 'mongodb';
import { daySpan } from '../../parsers/index.js';
import type { StoreContext } from './context.js';
import type { ServerDoc } from './documents.js';
import { StoreInputError } from './errors.js';

/**
 * One wipe of a game server: the season it starts runs until the next one starts. Kept on the
 * server's own document (`seasons`), so a removed server's seasons go with it, and so does a guild's.
 */
export interface Season {
  /** 2 for the first wipe: season 1 is everything before it. */
  no: number;
  /** When the season starts (UTC ms, a whole second). */
  startsAt: number;
  /** The Discord user who started it. */
  by: string;
  createdAt: number;
}

/** A season's day-document keys (see {@link seasonDayKey}): from (inclusive), to (exclusive; null: open). */
export interface SeasonRange {
  serverId: string;
  from: string | null;
  to: string | null;
}

export interface SeasonsRepo {
  /** The server's wipes, oldest first. */
  list(serverId: string): Promise<Season[]>;
  /** Season start times only: what the parser cuts day documents at (ticks and history runs). */
  starts(serverId: string): Promise<number[]>;
  /** Records a wipe at `startsAt`: refused before the latest start or while a later one is already set. */
  begin(serverId: string, startsAt: number, by: string, now: number): Promise<Season>;
  /** The day-document ranges of the current (or previous) season of one server, or of each of the guild's. */
  ranges(which: 'current' | 'previous', now: number, serverId?: string): Promise<SeasonRange[]>;
}

type SeasonServerDoc = ServerDoc & { seasons?: Season[] };

/**
 * Season starts by server id, per store: ticks ask for them on every read that found rows, and only
 * `begin` (in this process, under the server's lock when it starts now) changes them, so a copy kept
 * here is exact and saves a database read per busy tick. Keyed by the store's context, like issued
 * ingest targets (ingest-target.ts), so two stores never share one.
 */
const startsCache = new WeakMap<StoreContext, Map<string, readonly number[]>>();

/** The servers collection as this module sees it: with the `seasons` list (absent until the first wipe). */
function serversOf(ctx: StoreContext): Collection<SeasonServerDoc> {
  return ctx.collections.servers as unknown as Collection<SeasonServerDoc>;
}

/**
 * The key of the first day document of a season starting at `startsAt`: the UTC day when it starts
 * at midnight, else the start's ISO time, as the parser keys the rows from a start on
 * (parsers/stats/reduce.ts `daySpan`). Keys sort by time, so a season is one key range.
 */
export function seasonDayKey(startsAt: number): string {
  return daySpan(startsAt, [startsAt]).key;
}

export function createSeasonsRepo(ctx: StoreContext, guildId: string): SeasonsRepo {
  const servers = serversOf(ctx);
  let cached = startsCache.get(ctx);
  if (!cached) startsCache.set(ctx, (cached = new Map()));
  const known = cached;
  const list = async (serverId: string): Promise<Season[]> => {
    const doc = await servers.findOne({ _id: serverId, guildId }, { projection: { seasons: 1 } });
    if (!doc) throw new StoreInputError('No game server with that id in this Discord server.');
    return doc.seasons ?? [];
  };
  return {
    list,
    async starts(serverId) {
      const hit = known.get(serverId);
      if (hit) return [...hit];
      const starts = (await list(serverId)).map((s) => s.startsAt);
      known.set(serverId, starts);
      return [...starts];
    },
    async begin(serverId, startsAt, by, now) {
      if (!Number.isInteger(startsAt) || startsAt % 1000 !== 0) throw new StoreInputError('A season starts at a whole second.');
      const seasons = await list(serverId);
      const last = seasons.at(-1);
      if (last && last.startsAt > now) {
        throw new StoreInputError(`A wipe is already set for <t:${last.startsAt / 1000}:f>: a new season can start only after it has.`);
      }
      if (last && startsAt <= last.startsAt) throw new StoreInputError('A new season must start after the current one started.');
      const season: Season = { no: (last?.no ?? 1) + 1, startsAt, by, createdAt: now };
      // Guarded on the list's length, so two wipes confirmed together cannot both be added.
      const done = await servers.updateOne({ _id: serverId, guildId, [`seasons.${seasons.length}`]: { $exists: false } }, { $push: { seasons: season } });
      if (done.matchedCount === 0) throw new StoreInputError('Another wipe of this server was recorded at the same moment: look at /leaderboard and try again if needed.');
      known.set(serverId, [...seasons, season].map((s) => s.startsAt));
      return season;
    },
    async ranges(which, now, serverId) {
      const filter: Document = serverId === undefined ? { guildId } : { _id: serverId, guildId };
      const docs = await servers.find(filter, { projection: { seasons: 1 } }).toArray();
      return docs.flatMap((d) => seasonRange(d._id, d.seasons ?? [], which, now) ?? []);
    },
  };
}

/**
 * The current season runs from the latest start at or before `now` (from the beginning when there is
 * none); the previous one from the start before it to that start. Null: no previous season yet.
 */
export function seasonRange(serverId: string, seasons: readonly Season[], which: 'current' | 'previous', now: number): SeasonRange | null {
  const started = seasons.filter((s) => s.startsAt <= now);
  const current = started.at(-1);
  if (which === 'current') return { serverId, from: current ? seasonDayKey(current.startsAt) : null, to: null };
  if (!current) return null;
  const before = started.at(-2);
  return { serverId, from: before ? seasonDayKey(before.startsAt) : null, to: seasonDayKey(current.startsAt) };
}

/** The `$match` part selecting the day documents of the given season ranges (no range: nothing). */
export function seasonMatch(ranges: readonly SeasonRange[]): Document {
  if (ranges.length === 0) return { _id: { $in: [] } };
  return {
    $or: ranges.map((r) => {
      const day: Document = {};
      if (r.from !== null) day.$gte = r.from;
      if (r.to !== null) day.$lt = r.to;
      return Object.keys(day).length > 0 ? { serverId: r.serverId, day } : { serverId: r.serverId };
    }),
  };
}
