import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';
import { MongoClient } from 'mongodb';
import { openTarget, rejectionOf, type Target } from './target.js';

let target: Target;
beforeAll(async () => {
  target = await openTarget();
});
afterAll(async () => {
  await target.close();
});

describe('dev-mongo indexes', () => {
  it('GIVEN created indexes THEN listIndexes reports them and dropIndexes removes them', async () => {
    const coll = target.db.collection('servers');
    await coll.createIndex({ guildId: 1, serverId: 1 }, { unique: true });
    await coll.createIndex({ host: 1 });
    const names = (await coll.listIndexes().toArray()).map((i) => [i.name, i.unique === true]);
    expect(names).toEqual([['_id_', false], ['guildId_1_serverId_1', true], ['host_1', false]]);
    await coll.dropIndex('host_1');
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_', 'guildId_1_serverId_1']);
    const missing = await rejectionOf(coll.dropIndex('nope_1'));
    expect(missing.code).toBe(27);
  });

  it('GIVEN a compound unique index THEN only the full key pair must be unique', async () => {
    const coll = target.db.collection('pairs');
    await coll.createIndex({ guildId: 1, eosId: 1 }, { unique: true });
    await coll.insertMany([{ guildId: 'g1', eosId: 'a' }, { guildId: 'g2', eosId: 'a' }, { guildId: 'g1', eosId: 'b' }]);
    const err = await rejectionOf(coll.updateOne({ guildId: 'g2', eosId: 'a' }, { $set: { guildId: 'g1' } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.keyValue).toEqual({ guildId: 'g1', eosId: 'a' });
    expect(await coll.countDocuments({ guildId: 'g2' })).toBe(1);
  });

  it('GIVEN existing duplicates THEN building a unique index fails and no index is left', async () => {
    const coll = target.db.collection('dupes');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await rejectionOf(coll.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('GIVEN sparse and partial unique indexes THEN documents outside them never collide', async () => {
    const coll = target.db.collection('optional');
    await coll.createIndex({ steamId: 1 }, { unique: true, sparse: true });
    await coll.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([{ name: 'a' }, { name: 'b' }, { code: 'x', active: false }, { code: 'x', active: true }]);
    const err = await rejectionOf(coll.insertOne({ code: 'x', active: true }));
    expect(err.code).toBe(11000);
    expect(await coll.countDocuments({ code: 'x' })).toBe(2);
  });

  it('GIVEN an existing identical index THEN creating it again is a no-op, a clashing name is refused', async () => {
    const coll = target.db.collection('again');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    const clash = await rejectionOf(coll.createIndex({ b: 1 }, { name: 'a_1' }));
    expect(clash.code).toBe(86);
  });
});

describe('dev-mongo TTL indexes', () => {
  let mongo: DevMongo;
  let client: MongoClient;
  beforeAll(async () => {
    mongo = await startDevMongo({ ttlSweepMs: 50 });
    client = await new MongoClient(mongo.uri).connect();
  });
  afterAll(async () => {
    await client.close();
    await mongo.close();
  });

  it('GIVEN a TTL index THEN documents past expireAfterSeconds disappear and fresh ones stay', async () => {
    const sessions = client.db('ttl').collection('sessions');
    await sessions.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
    const now = Date.now();
    await sessions.insertMany([
      { name: 'old', createdAt: new Date(now - 5_000) },
      { name: 'fresh', createdAt: new Date(now + 60_000) },
      { name: 'no date', createdAt: 'yesterday' },
    ]);
    await expect.poll(async () => (await sessions.find().toArray()).map((d) => d.name), { timeout: 30_000, interval: 50 })
      .toEqual(['fresh', 'no date']);
  });
});
