import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type GuildStore, type Store } from '../../src/store/index.js';
import { countRows, type CountedRows } from '../commands/count-rows.js';
import { feedFiles, type LogFile } from './feed.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

const now = Date.parse('2025-06-10T12:00:00Z');
// Four days ending on `now`'s day: the first three on one server, the last on another (same players).
const days = generateDeathLogHistory({ seed: 23, days: 4, rowsPerDay: 1_500, players: 25, startDate: '2025-06-07' });
const files: LogFile[] = days.map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
const count = (from: number, to = days.length): CountedRows => countRows(days.slice(from, to).map((d) => d.text));

/** Every ordered pair of players with kills either way, as [a, b, a killed b, b killed a]. */
function pairsOf(c: CountedRows): [string, string, number, number][] {
  return [...c.players.values()].flatMap((a) => [...a.victims.keys()].map((b): [string, string, number, number] =>
    [a.id, b, a.victims.get(b) ?? 0, c.players.get(b)?.victims.get(a.id) ?? 0]));
}

describe('head-to-head kills', () => {
  let db: TestDatabase;
  let store: Store;
  let guild: GuildStore;
  let northId: string;
  beforeAll(async () => {
    db = await startTestDatabase('h2h');
    const { logger } = testLogger();
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
    guild = store.guild(snowflake(5));
    const north = await guild.servers.add({ name: 'North', host: 'h', username: 'u', password: 'p' });
    const south = await guild.servers.add({ name: 'South', host: 'h', username: 'u', password: 'p' });
    northId = north.id;
    // Small chunks and batches: many segments per player-day, merged by the writer as ticks' are.
    const writer = createIngestWriter(store, { flushRows: 400, flushMs: 10, logger });
    await feedFiles(writer, await guild.ingest.target(north.id), files.slice(0, 3), 8_000);
    await feedFiles(writer, await guild.ingest.target(south.id), files.slice(3), 8_000);
    await writer.close();
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('GIVEN players met on two servers THEN all-time head-to-head adds both up, and equals the rows for every pair', async () => {
    const pairs = pairsOf(count(0));
    expect(pairs.length).toBeGreaterThan(100);
    for (const [a, b, aKilledB, bKilledA] of pairs) expect(await guild.stats.headToHead(a, b), `${a} ${b}`).toEqual({ aKilledB, bKilledA });
  });

  it('GIVEN one server or a period THEN only its days count', async () => {
    for (const [a, b, aKilledB, bKilledA] of pairsOf(count(0, 3)).slice(0, 40)) {
      expect(await guild.stats.headToHead(a, b, { serverId: northId })).toEqual({ aKilledB, bKilledA });
    }
    // `day` is 2025-06-10, the last file only (South).
    for (const [a, b, aKilledB, bKilledA] of pairsOf(count(3)).slice(0, 40)) {
      expect(await guild.stats.headToHead(a, b, { period: 'day', now })).toEqual({ aKilledB, bKilledA });
    }
  });

  it('GIVEN the same player twice or a stranger THEN no kills either way', async () => {
    const [first] = count(0).players.keys();
    expect(await guild.stats.headToHead(first ?? '', first ?? '')).toEqual({ aKilledB: 0, bKilledA: 0 });
    expect(await guild.stats.headToHead(first ?? '', `0002${'9'.repeat(28)}`)).toEqual({ aKilledB: 0, bKilledA: 0 });
  });
});
