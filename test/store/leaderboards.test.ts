import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayPairs, mergeSummaries, type StatsSummary } from '../../parsers/index.js';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type GuildStore, type Store } from '../../src/store/index.js';
import { feedFiles, referenceSummary, type LogFile } from './feed.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

const DAY = 86_400_000;
const now = Date.parse('2025-06-10T12:00:00Z');
// Four days ending on `now`'s day; the first two go to one server, the last two to another (same players).
const all: LogFile[] = generateDeathLogHistory({ seed: 11, days: 4, rowsPerDay: 1_500, players: 30, startDate: '2025-06-07' })
  .map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
const [north, south] = [all.slice(0, 2), all.slice(2)];
const refNorth = referenceSummary(north);
const refSouth = referenceSummary(south);
const refAll = mergeSummaries(refNorth, refSouth);

type Row = [string, number];
const top = (values: Map<string, number>, n = 5): Row[] => [...values].filter(([, v]) => v > 0)
  .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, n);
const byPlayer = (s: StatsSummary, f: (p: StatsSummary['players'] extends Map<string, infer P> ? P : never) => number): Map<string, number> =>
  new Map([...s.players.values()].map((p) => [p.id, f(p)]));
function periodKills(s: StatsSummary, fromDay: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [day, d] of s.days) if (day >= fromDay) for (const [id, t] of d.players) out.set(id, (out.get(id) ?? 0) + t.kills);
  return out;
}

describe('leaderboards and player stats', () => {
  let db: TestDatabase;
  let store: Store;
  let guild: GuildStore;
  let northId: string;
  beforeAll(async () => {
    db = await startTestDatabase('boards');
    const { logger } = testLogger();
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
    guild = store.guild(snowflake(9));
    const n = await guild.servers.add({ name: 'North', host: 'h', username: 'u', password: 'p' });
    const s = await guild.servers.add({ name: 'South', host: 'h', username: 'u', password: 'p' });
    northId = n.id;
    const writer = createIngestWriter(store, { flushRows: 1_000, flushMs: 10, logger });
    await feedFiles(writer, await guild.ingest.target(n.id), north, 10_000);
    await feedFiles(writer, await guild.ingest.target(s.id), south, 10_000);
    await writer.close();
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  const board = async (q: Parameters<GuildStore['stats']['leaderboard']>[0]): Promise<Row[]> =>
    (await guild.stats.leaderboard({ limit: 5, now, ...q })).map((r) => [r.playerId, r.value]);

  it('GIVEN two servers THEN all-time boards sum kills and deaths across them and take the best longest kill and streak', async () => {
    expect(await board({ metric: 'kills' })).toEqual(top(byPlayer(refAll, (p) => p.kills)));
    expect(await board({ metric: 'deaths' })).toEqual(top(byPlayer(refAll, (p) => p.deaths)));
    expect(await board({ metric: 'kd' })).toEqual(top(byPlayer(refAll, (p) => p.kills / Math.max(p.deaths, 1))));
    expect(await board({ metric: 'longestKill' })).toEqual(top(byPlayer(refAll, (p) => p.longestKill)));
    const bestStreak = new Map([...refAll.players.keys()].map((id) => [id,
      Math.max(refNorth.players.get(id)?.streak.best ?? 0, refSouth.players.get(id)?.streak.best ?? 0)]));
    expect(await board({ metric: 'bestStreak' })).toEqual(top(bestStreak));
    expect(await board({ metric: 'weaponKills', weapon: 'IZH-43' })).toEqual(top(byPlayer(refAll, (p) => p.weapons.get('IZH-43') ?? 0)));
  });

  it('GIVEN one server chosen THEN only its figures count', async () => {
    expect(await board({ metric: 'kills', serverId: northId })).toEqual(top(byPlayer(refNorth, (p) => p.kills)));
  });

  it('GIVEN a period THEN only the days inside it count', async () => {
    expect(await board({ metric: 'kills', period: 'day' })).toEqual(top(periodKills(refAll, '2025-06-10')));
    expect(await board({ metric: 'kills', period: 'week' })).toEqual(top(periodKills(refAll, '2025-06-04')));
    expect(await board({ metric: 'kills', period: 'week', now: now + 6 * DAY })).toEqual(top(periodKills(refAll, '2025-06-10')));
    await expect(guild.stats.leaderboard({ metric: 'bestStreak', period: 'week' })).rejects.toThrow(/all time only/);
  });

  it('GIVEN a player THEN their figures, weapons, nemesis and prey match the reference', async () => {
    const [id = ''] = top(byPlayer(refAll, (p) => p.kills), 1)[0] ?? [];
    const ref = refAll.players.get(id);
    const stats = await guild.stats.player(id);
    expect(stats).toMatchObject({ playerId: id, name: ref?.name, kills: ref?.kills, deaths: ref?.deaths, suicides: ref?.suicides, longestKill: ref?.longestKill });
    expect(stats?.weapons).toEqual(top(ref?.weapons ?? new Map(), 100).map(([weapon, kills]) => ({ weapon, kills })));
    const pairs = new Map<string, number>();
    for (const d of refAll.days.values()) for (const [killer, victim, v] of dayPairs(d)) pairs.set(`${killer}>${victim}`, (pairs.get(`${killer}>${victim}`) ?? 0) + v);
    const preyRef = top(new Map([...pairs].filter(([k]) => k.startsWith(`${id}>`)).map(([k, v]) => [k.split('>')[1] ?? '', v])), 1)[0];
    const nemesisRef = top(new Map([...pairs].filter(([k]) => k.endsWith(`>${id}`)).map(([k, v]) => [k.split('>')[0] ?? '', v])), 1)[0];
    expect([stats?.prey?.playerId, stats?.prey?.kills]).toEqual(preyRef);
    expect([stats?.nemesis?.playerId, stats?.nemesis?.kills]).toEqual(nemesisRef);
    expect(await guild.stats.player('0002ffffffffffffffffffffffffffff')).toBeNull();
  });

  it('GIVEN one server or a period THEN nemesis and prey count only its kills', async () => {
    const pairsOf = (s: StatsSummary, fromDay = ''): Map<string, number> => {
      const out = new Map<string, number>();
      for (const [day, d] of s.days) if (day >= fromDay) for (const [killer, victim, v] of dayPairs(d)) out.set(`${killer}>${victim}`, (out.get(`${killer}>${victim}`) ?? 0) + v);
      return out;
    };
    const topOf = (pairs: Map<string, number>, id: string, side: 'prey' | 'nemesis') => top(new Map([...pairs]
      .filter(([k]) => (side === 'prey' ? k.startsWith(`${id}>`) : k.endsWith(`>${id}`)))
      .map(([k, v]) => [(side === 'prey' ? k.split('>')[1] : k.split('>')[0]) ?? '', v])), 1)[0];
    const [id = ''] = top(byPlayer(refNorth, (p) => p.kills), 1)[0] ?? [];
    const north = await guild.stats.player(id, { serverId: northId });
    expect([north?.prey?.playerId, north?.prey?.kills]).toEqual(topOf(pairsOf(refNorth), id, 'prey'));
    expect([north?.nemesis?.playerId, north?.nemesis?.kills]).toEqual(topOf(pairsOf(refNorth), id, 'nemesis'));
    const today = await guild.stats.player(id, { period: 'day', now });
    const todayPairs = pairsOf(refAll, '2025-06-10');
    expect([today?.prey?.playerId, today?.prey?.kills]).toEqual(topOf(todayPairs, id, 'prey') ?? [undefined, undefined]);
    expect(today?.kills).toBe(periodKills(refAll, '2025-06-10').get(id) ?? 0);
  });

  it('GIVEN recent events THEN the newest come first, bounded, and a player filter keeps only their rows', async () => {
    const events = await guild.stats.recentEvents({ limit: 5 });
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort((x, y) => y - x));
    expect(events[0]?.file).toBe(all[3]?.name);
    const killer = events.find((e) => e.kind === 'kill')?.killerId ?? '';
    const mine = await guild.stats.recentEvents({ playerId: killer, limit: 50 });
    expect(mine.every((e) => e.killerId === killer || e.victimId === killer)).toBe(true);
  });
});
