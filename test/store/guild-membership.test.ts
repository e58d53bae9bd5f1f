import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type Store } from '../../src/store/index.js';
import { feedFiles } from './feed.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

/** Documents per collection that carry the guild's id (the guilds collection by `_id`). */
async function documentsOf(db: TestDatabase, guildId: string): Promise<Record<string, number>> {
  const client = new MongoClient(db.uri);
  try {
    const out: Record<string, number> = {};
    for (const c of await client.db(db.dbName).listCollections().toArray()) {
      const filter = c.name === 'guilds' ? { _id: guildId as unknown as never } : { guildId };
      const n = await client.db(db.dbName).collection(c.name).countDocuments(filter);
      if (n > 0) out[c.name] = n;
    }
    return out;
  } finally {
    await client.close();
  }
}

describe('guild membership', () => {
  let db: TestDatabase;
  let store: Store;
  const [gone, kept, linksOnly] = [snowflake(1), snowflake(2), snowflake(3)];

  beforeAll(async () => {
    db = await startTestDatabase('membership');
    const { logger } = testLogger();
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
    const writer = createIngestWriter(store, { flushRows: 500, flushMs: 10, logger });
    for (const guildId of [gone, kept]) {
      const guild = store.guild(guildId);
      const server = await guild.servers.add({ name: 'Main', host: 'h.example', username: 'u', password: 'p' });
      const files = generateDeathLogHistory({ seed: 1, days: 1, rowsPerDay: 200, players: 10 }).map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
      await feedFiles(writer, await guild.ingest.target(server.id), files, 8_192);
      await guild.links.link(snowflake(50), '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa');
      await guild.online.set(server.id, [{ eosId: '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa', name: 'A', state: 'online', since: 1 }]);
      await guild.settings.setChannel('killfeed', snowflake(60));
    }
    await writer.close();
    await store.guild(linksOnly).links.link(snowflake(51), '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    // A kill still waiting to be posted for each (its shape is the outbox's own; only its guild matters here).
    const client = new MongoClient(db.uri);
    try {
      await client.db(db.dbName).collection('outbox').insertMany([gone, kept].map((guildId) => ({ _id: `${guildId}:1:1:0` as unknown as never, guildId, serverId: 'x', seq: 1, i: 0, at: 1, purpose: 'killfeed' })));
    } finally {
      await client.close();
    }
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('GIVEN guilds with servers, settings or only links THEN each is known', async () => {
    expect(await store.membership.knownGuildIds()).toEqual([gone, kept, linksOnly].sort());
  });

  it('GIVEN a guild marked left twice THEN the first mark stands, and clearing it says whether there was one', async () => {
    await store.membership.markLeft(linksOnly, new Date(1_000));
    await store.membership.markLeft(linksOnly, new Date(2_000));
    expect(await store.membership.left()).toEqual(new Map([[linksOnly, new Date(1_000)]]));
    expect(await store.membership.markPresent(linksOnly)).toBe(true);
    expect(await store.membership.markPresent(linksOnly)).toBe(false);
    expect((await store.membership.left()).size).toBe(0);
  });

  it('GIVEN a guild left before the cutoff THEN every document of it goes and no other guild loses one', async () => {
    const keptBefore = await documentsOf(db, kept);
    expect(Object.keys(await documentsOf(db, gone)).sort()).toEqual(['account_links', 'guilds', 'ingest_state', 'online_players', 'outbox', 'servers', 'stats']);
    await store.membership.markLeft(gone, new Date(1_000));
    await store.membership.markLeft(kept, new Date(5_000));
    expect(await store.membership.deleteLeftBefore(new Date(2_000))).toEqual([gone]);
    expect(await documentsOf(db, gone)).toEqual({});
    expect(await documentsOf(db, kept)).toEqual(keptBefore);
  });
});
