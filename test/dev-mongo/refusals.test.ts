import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';
import { rejectionOf } from './target.js';

let mongo: DevMongo;
let client: MongoClient;
beforeAll(async () => {
  mongo = await startDevMongo();
  client = await new MongoClient(mongo.uri).connect();
});
afterAll(async () => {
  await client.close();
  await mongo.close();
});

describe('dev-mongo refuses what a standalone mongod refuses', () => {
  it('GIVEN a transaction THEN reads fail with IllegalOperation (20) and writes with the driver wrapping of it', async () => {
    const coll = client.db('refuse').collection('tx');
    const session = client.startSession();
    try {
      session.startTransaction();
      const read = await rejectionOf(coll.findOne({}, { session }));
      expect(read).toBeInstanceOf(MongoServerError);
      expect(read.code).toBe(20);
      expect(read.message).toBe('Transaction numbers are only allowed on a replica set member or mongos');
      await session.abortTransaction().catch(() => undefined);
      session.startTransaction();
      // The driver rewrites code 20 on a write into advice about retryWrites; the server's error rides along.
      const write = await rejectionOf(coll.insertOne({ a: 1 }, { session }));
      expect((write.originalError as MongoServerError | undefined)?.code).toBe(20);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments()).toBe(0);
  });

  it('GIVEN watch() THEN the change stream fails with 40573', async () => {
    const stream = client.db('refuse').collection('feed').watch();
    const err = await rejectionOf(stream.tryNext());
    await stream.close();
    expect(err.code).toBe(40573);
    expect(err.message).toBe('The $changeStream stage is only supported on replica sets');
  });

  it('GIVEN an unknown command THEN CommandNotFound (59) names it', async () => {
    const err = await rejectionOf(client.db('admin').command({ frobnicate: 1 }));
    expect(err.code).toBe(59);
    expect(err.message).toBe(`no such command: 'frobnicate'`);
  });

  it('GIVEN $merge, explain or a text index THEN the error says dev-mongo does not implement it', async () => {
    const coll = client.db('refuse').collection('gaps');
    await coll.insertOne({ a: 1 });
    const merge = await rejectionOf(coll.aggregate([{ $merge: { into: 'other' } }]).toArray());
    expect(merge.message).toMatch(/does not implement the \$merge stage/);
    const text = await rejectionOf(coll.createIndex({ body: 'text' }));
    expect(text.message).toMatch(/does not implement 'text' indexes/);
    const collation = await rejectionOf(coll.find({}, { collation: { locale: 'fr' } }).toArray());
    expect(collation.message).toMatch(/collation/);
  });
});
