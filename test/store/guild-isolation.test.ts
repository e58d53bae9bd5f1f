import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type GuildStore, type Store } from '../../src/store/index.js';
import { feedFiles, referenceSummary, type LogFile } from './feed.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';
import { statsSnapshot } from './snapshot.js';

const history = (seed: number): LogFile[] => generateDeathLogHistory({ seed, days: 2, rowsPerDay: 600, players: 20 })
  .map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));

describe('guild scoping', () => {
  let db: TestDatabase;
  let store: Store;
  let a: GuildStore;
  let b: GuildStore;
  let bServerId: string;
  const filesB = history(2);
  const sharedUser = snowflake(77);
  beforeAll(async () => {
    db = await startTestDatabase('isolation');
    const { logger } = testLogger();
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
    a = store.guild(snowflake(1));
    b = store.guild(snowflake(2));
    const serverA = await a.servers.add({ name: 'Main', host: 'a.example', username: 'ua', password: 'secret-a' });
    const serverB = await b.servers.add({ name: 'Main', host: 'b.example', username: 'ub', password: 'secret-b' });
    bServerId = serverB.id;
    const writer = createIngestWriter(store, { flushRows: 500, flushMs: 10, logger });
    await feedFiles(writer, await a.ingest.target(serverA.id), history(1), 8_192);
    await feedFiles(writer, await b.ingest.target(serverB.id), filesB, 8_192);
    await writer.close();
    await b.links.link(sharedUser, '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    await b.online.set(serverB.id, [{ eosId: '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb', name: 'Bee', state: 'online', since: 1 }]);
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('GIVEN two guilds with servers of the same name THEN guild A can neither read nor change anything of guild B', async () => {
    const before = await statsSnapshot(db.uri, db.dbName);
    const bPlayer = [...referenceSummary(filesB).players.keys()][0] ?? '';

    expect((await a.servers.list()).map((s) => s.host)).toEqual(['a.example']);
    expect(await a.servers.get(bServerId)).toBeNull();
    await expect(a.servers.update(bServerId, { host: 'evil.example' })).rejects.toThrow(/No game server/);
    expect(await a.servers.remove(bServerId)).toBe(false);
    await expect(a.servers.credentials(bServerId)).rejects.toThrow(/No game server/);
    await expect(a.ingest.target(bServerId)).rejects.toThrow(/No game server/);
    expect(await a.ingest.cursors(bServerId)).toEqual([]);
    await expect(a.online.set(bServerId, [])).rejects.toThrow(/No game server/);
    expect((await a.online.get(bServerId)).players).toEqual([]);
    expect((await a.stats.totals(bServerId)).rows).toBe(0);
    expect(await a.stats.leaderboard({ metric: 'kills', serverId: bServerId })).toEqual([]);
    expect(await a.stats.player(bPlayer)).toBeNull();
    expect(await a.stats.recentEvents({ serverId: bServerId })).toEqual([]);
    expect(await a.links.byEosId('0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb')).toBeNull();
    expect(await a.links.byUser(sharedUser)).toBeNull();
    expect(await a.links.unlink(sharedUser)).toBe(false);
    await a.links.link(sharedUser, '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa');

    const aBoard = await a.stats.leaderboard({ metric: 'kills', limit: 50 });
    expect(aBoard.length).toBeGreaterThan(0);
    expect(aBoard.some((r) => referenceSummary(filesB).players.has(r.playerId))).toBe(false);

    expect(await statsSnapshot(db.uri, db.dbName)).toEqual(before);
    expect((await b.servers.get(bServerId))?.host).toBe('b.example');
    expect((await b.servers.credentials(bServerId)).password).toBe('secret-b');
    expect((await b.links.byUser(sharedUser))?.eosId).toBe('0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    expect((await b.online.get(bServerId)).players).toHaveLength(1);
    expect((await b.stats.totals()).rows).toBe(referenceSummary(filesB).totals.rows);
  });

  it('GIVEN a guild id that is not a Discord id THEN no scope is made', () => {
    expect(() => store.guild('')).toThrow(/Discord id/);
    expect(() => store.guild('{"$ne":null}')).toThrow(/Discord id/);
  });
});
