import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvents, addMalformed, emptySummary, parseDeathLog, type DeathEvent } from '../../parsers/index.js';
import { createIngestWriter, openStore, type GuildStore, type Store } from '../../src/store/index.js';
import { seasonDayKey } from '../../src/store/seasons.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

const eos = (name: string): string => `0002${Buffer.from(name).toString('hex').padEnd(28, '0').slice(0, 28)}`;
const row = (time: string, killer: string, victim: string, metres: number): string =>
  `${time};${killer};${eos(killer)};${victim};${eos(victim)};AK-mod;${metres};`;
const at = (iso: string): number => Date.parse(iso);
const events = (name: string, rows: readonly string[]): DeathEvent[] => parseDeathLog(name, Buffer.from(`${rows.join('\n')}\n`), { final: true }).events;

// Two days; the wipe of North is at 12:00:00 on the second.
const WIPE = at('2025-06-11T12:00:00Z');
const DAY1 = '2025.06.10-00.00.00.csv';
const DAY2 = '2025.06.11-00.00.00.csv';
const northRows = {
  [DAY1]: [row('2025.06.10-08.00.00', 'Ann', 'Bob', 100), row('2025.06.10-09.00.00', 'Ann', 'Cid', 110)],
  [DAY2]: [
    row('2025.06.11-11.59.58', 'Bob', 'Ann', 500), row('2025.06.11-11.59.59', 'Bob', 'Cid', 20),
    row('2025.06.11-12.00.00', 'Cid', 'Ann', 30), row('2025.06.11-12.00.01', 'Cid', 'Bob', 40), row('2025.06.11-13.00.00', 'Dee', 'Bob', 50),
  ],
};
const southRows = { [DAY2]: [row('2025.06.11-10.00.00', 'Eve', 'Ann', 60), row('2025.06.11-10.00.01', 'Eve', 'Bob', 70)] };

describe('GIVEN a season start inside a day THEN the parser keys the rows from it on apart', () => {
  it('splits at the exact second, keeps a midnight start as the plain day, and takes starts in any order', () => {
    const rows = events(DAY2, northRows[DAY2]);
    expect([...addEvents(emptySummary(), rows, [WIPE]).days.keys()]).toEqual(['2025-06-11', '2025-06-11T12:00:00.000Z']);
    expect([...addEvents(emptySummary(), rows, []).days.keys()]).toEqual(['2025-06-11']);
    expect([...addEvents(emptySummary(), rows, [at('2025-06-11T00:00:00Z')]).days.keys()]).toEqual(['2025-06-11']);
    const two = [at('2025-06-11T12:00:01Z'), WIPE];
    expect([...addEvents(emptySummary(), rows, two).days.keys()]).toEqual(['2025-06-11', '2025-06-11T12:00:00.000Z', '2025-06-11T12:00:01.000Z']);
    expect(addEvents(emptySummary(), rows, [WIPE]).days.get('2025-06-11')?.players.get(eos('Bob'))?.kills).toBe(2);
    expect(seasonDayKey(WIPE)).toBe('2025-06-11T12:00:00.000Z');
    expect(seasonDayKey(at('2025-06-11T00:00:00Z'))).toBe('2025-06-11');
    // Keys sort by time: a season is one range of day keys.
    expect(['2025-06-12', '2025-06-11T12:00:00.000Z', '2025-06-11'].sort()).toEqual(['2025-06-11', '2025-06-11T12:00:00.000Z', '2025-06-12']);
  });
});

describe('seasons in the store', () => {
  let db: TestDatabase;
  let store: Store;
  let guild: GuildStore;
  let north: string;
  let south: string;
  const now = at('2025-06-11T18:00:00Z');

  beforeAll(async () => {
    db = await startTestDatabase('seasons');
    const { logger } = testLogger();
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
    guild = store.guild(snowflake(7));
    north = (await guild.servers.add({ name: 'North', host: 'h', username: 'u', password: 'p' })).id;
    south = (await guild.servers.add({ name: 'South', host: 'h', username: 'u', password: 'p' })).id;
    await guild.seasons.begin(north, WIPE, snowflake(99), WIPE - 60_000);
    const writer = createIngestWriter(store, { flushRows: 1_000, flushMs: 10, logger });
    // As ticks do: one batch per read, the season starts read with it. North's second day comes in
    // two reads, the wipe falling inside the second one.
    const write = async (serverId: string, file: string, rows: readonly string[], from: number, to: number): Promise<void> => {
      const starts = await guild.seasons.starts(serverId);
      const summary = addMalformed(addEvents(emptySummary(), events(file, rows).slice(from, to), starts), 0);
      await writer.add(await guild.ingest.target(serverId), { summary, cursors: [], recentEvents: [] });
      await writer.flush(await guild.ingest.target(serverId));
    };
    await write(north, DAY1, northRows[DAY1], 0, 2);
    await write(north, DAY2, northRows[DAY2], 0, 1);
    await write(north, DAY2, northRows[DAY2], 1, 5);
    await write(south, DAY2, southRows[DAY2], 0, 2);
    await writer.close();
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  const board = async (q: Omit<Parameters<GuildStore['stats']['leaderboard']>[0], 'now'>): Promise<[string, number][]> =>
    (await guild.stats.leaderboard({ now, ...q })).map((r) => [r.name, r.value]);

  it('GIVEN North wiped at 12:00:00 THEN its season counts from that second on, and the last season and all time keep the rest', async () => {
    expect(await board({ metric: 'kills', serverId: north, period: 'season' })).toEqual([['Cid', 2], ['Dee', 1]]);
    expect(await board({ metric: 'kills', serverId: north, period: 'previous-season' })).toEqual([['Ann', 2], ['Bob', 2]]);
    expect(await board({ metric: 'longestKill', serverId: north, period: 'previous-season' })).toEqual([['Bob', 500], ['Ann', 110]]);
    expect(await board({ metric: 'kills', serverId: north })).toEqual([['Ann', 2], ['Bob', 2], ['Cid', 2], ['Dee', 1]]);
    expect(await board({ metric: 'deaths', serverId: north, period: 'season' })).toEqual([['Bob', 2], ['Ann', 1]]);
  });

  it('GIVEN all servers THEN each counts from its own wipe: South, never wiped, counts everything in its first season', async () => {
    expect(await board({ metric: 'kills', period: 'season' })).toEqual([['Cid', 2], ['Eve', 2], ['Dee', 1]]);
    expect(await board({ metric: 'kills', period: 'previous-season' })).toEqual([['Ann', 2], ['Bob', 2]]);
    expect(await board({ metric: 'kills', serverId: south, period: 'previous-season' })).toEqual([]);
    // Before the wipe moment, the season is still the first one.
    expect((await guild.stats.leaderboard({ metric: 'kills', serverId: north, period: 'season', now: WIPE - 1_000 })).map((r) => r.value)).toEqual([2, 2, 2, 1]);
  });

  it('GIVEN a player\'s figures for the season THEN only the day documents of the season running on each server count', async () => {
    const seasonRanges = await guild.seasons.ranges('current', now);
    const bob = await guild.stats.player(eos('Bob'), { period: 'season', seasonRanges });
    // Bob: killed by Cid and Dee after North's wipe, and by Eve on South (never wiped); his two kills were before the wipe.
    expect(bob).toMatchObject({ kills: 0, deaths: 3, longestKill: 0 });
    const ann = await guild.stats.player(eos('Ann'), { period: 'season', seasonRanges });
    // Ann died to Cid after North's wipe and to Eve on South, never wiped.
    expect(ann).toMatchObject({ kills: 0, deaths: 2 });
    expect(await guild.stats.player(eos('Ann'), { period: 'season', seasonRanges: [] })).toBeNull();
  });

  it('GIVEN a second wipe THEN it must start after the last, not while one is still to come, and gets the next number', async () => {
    await expect(guild.seasons.begin(north, WIPE - 1_000, 'x', now)).rejects.toThrow('A new season must start after the current one started.');
    await expect(guild.seasons.begin(north, now + 500, 'x', now)).rejects.toThrow('A season starts at a whole second.');
    const later = await guild.seasons.begin(north, now + 3_600_000, 'x', now);
    expect(later.no).toBe(3);
    await expect(guild.seasons.begin(north, now + 7_200_000, 'x', now)).rejects.toThrow(/^A wipe is already set for <t:\d+:f>/);
    expect(await guild.seasons.starts(north)).toEqual([WIPE, now + 3_600_000]);
    await expect(store.guild(snowflake(8)).seasons.list(north)).rejects.toThrow('No game server with that id in this Discord server.');
  });
});
