import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, rejectionOf, type Target } from './target.js';

let target: Target;
beforeAll(async () => {
  target = await openTarget();
});
afterAll(async () => {
  await target.close();
});

interface PlayerStats {
  guildId: string;
  eosId: string;
  kills?: number;
  longest?: number;
  firstSeen?: Date;
}

describe('dev-mongo writes: bulk upserts, duplicate keys and operator errors', () => {
  it('GIVEN an unordered bulkWrite of upserts THEN $inc adds up, $max keeps the best, $setOnInsert writes once', async () => {
    const stats = target.db.collection<PlayerStats>('player_stats');
    await stats.createIndex({ guildId: 1, eosId: 1 }, { unique: true });
    const first = new Date('2024-05-01T10:00:00Z');
    const later = new Date('2024-05-02T10:00:00Z');
    const op = (eosId: string, distance: number, seen: Date) => ({
      updateOne: {
        filter: { guildId: 'g1', eosId },
        update: { $inc: { kills: 1 }, $max: { longest: distance }, $setOnInsert: { firstSeen: seen } },
        upsert: true,
      },
    });
    const result = await stats.bulkWrite([op('a', 100, first), op('b', 50, first), op('a', 300, later), op('a', 20, later)], { ordered: false });
    expect(result).toMatchObject({ upsertedCount: 2, matchedCount: 2, modifiedCount: 2 });
    expect(Object.keys(result.upsertedIds)).toEqual(['0', '1']);
    const a = await stats.findOne({ guildId: 'g1', eosId: 'a' }, { projection: { _id: 0 } });
    expect(a).toEqual({ guildId: 'g1', eosId: 'a', kills: 3, longest: 300, firstSeen: first });
  });

  it('GIVEN a unique index THEN a duplicate insert fails with E11000 and the offending keyValue', async () => {
    const links = target.db.collection('links');
    await links.createIndex({ discordId: 1 }, { unique: true, name: 'discordId_unique' });
    await links.insertOne({ discordId: '111', eosId: 'x' });
    const err = await rejectionOf(links.insertOne({ discordId: '111', eosId: 'y' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ discordId: '111' });
    expect(err.keyPattern).toEqual({ discordId: 1 });
    expect(err.message).toBe(`E11000 duplicate key error collection: ${target.db.databaseName}.links index: discordId_unique dup key: { discordId: "111" }`);
    expect(await links.countDocuments()).toBe(1);
  });

  it('GIVEN an unordered batch with a duplicate THEN the rest is written and writeErrors name the index', async () => {
    const coll = target.db.collection('unordered');
    await coll.createIndex({ k: 1 }, { unique: true });
    const err = await rejectionOf(coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }, { k: 3 }], { ordered: false }));
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.writeErrors instanceof Array ? bulk.writeErrors.map((e) => e.index) : []).toEqual([1, 3]);
    expect(bulk.insertedCount).toBe(3);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('GIVEN an ordered batch with a duplicate THEN writing stops at the failure', async () => {
    const coll = target.db.collection('ordered');
    await coll.createIndex({ k: 1 }, { unique: true });
    const err = await rejectionOf(coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]));
    expect((err as MongoBulkWriteError).insertedCount).toBe(1);
    expect(await coll.distinct('k')).toEqual([1]);
  });

  it('GIVEN a string field THEN $inc on it fails with TypeMismatch (14) and leaves the document alone', async () => {
    const coll = target.db.collection('typed');
    await coll.insertOne({ _id: 'p', kills: 'many' } as never);
    const err = await rejectionOf(coll.updateOne({ _id: 'p' } as never, { $inc: { kills: 1 }, $set: { touched: true } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(14);
    expect(err.message).toMatch(/^Cannot apply \$inc to a value of non-numeric type/);
    expect(await coll.findOne({ _id: 'p' } as never)).toEqual({ _id: 'p', kills: 'many' });
  });

  it('GIVEN conflicting operators or an _id change THEN the server refuses with its codes', async () => {
    const coll = target.db.collection('conflicts');
    await coll.insertOne({ _id: 1, n: 1 } as never);
    const conflict = await rejectionOf(coll.updateOne({ _id: 1 } as never, { $inc: { n: 1 }, $set: { n: 5 } }, { upsert: true }));
    expect(conflict.code).toBe(40);
    const immutable = await rejectionOf(coll.updateOne({ _id: 1 } as never, { $set: { _id: 2 } }));
    expect(immutable.code).toBe(66);
  });

  it('GIVEN $push with $each and $slice THEN the array keeps only the newest entries', async () => {
    const coll = target.db.collection<{ _id: string; last?: string[]; low?: number }>('recent');
    for (const kill of ['k1', 'k2', 'k3', 'k4']) {
      await coll.updateOne({ _id: 'feed' }, { $push: { last: { $each: [kill], $slice: -3 } } }, { upsert: true });
    }
    expect(await coll.findOne({ _id: 'feed' })).toEqual({ _id: 'feed', last: ['k2', 'k3', 'k4'] });
    await coll.updateOne({ _id: 'feed' }, { $unset: { last: '' }, $min: { low: 3 } });
    await coll.updateOne({ _id: 'feed' }, { $min: { low: 1 } });
    expect(await coll.findOne({ _id: 'feed' })).toEqual({ _id: 'feed', low: 1 });
  });

  it('GIVEN array updates THEN arrayFilters, positional $, $addToSet, $pull and pipeline updates apply', async () => {
    interface Squad { _id: number; members: Array<{ name: string; kills: number; mvp?: boolean }>; tags: string[]; total?: number }
    const squads = target.db.collection<Squad>('squads');
    await squads.insertOne({ _id: 1, members: [{ name: 'ann', kills: 2 }, { name: 'bob', kills: 9 }], tags: ['a', 'b'] });
    await squads.updateOne({ _id: 1 }, { $set: { 'members.$[m].mvp': true } }, { arrayFilters: [{ 'm.kills': { $gte: 5 } }] });
    await squads.updateOne({ _id: 1, tags: 'b' }, { $set: { 'tags.$': 'B' } });
    await squads.updateOne({ _id: 1 }, { $addToSet: { tags: 'c' } });
    await squads.updateOne({ _id: 1 }, { $pull: { tags: 'a' } });
    await squads.updateOne({ _id: 1 }, [{ $set: { total: { $sum: '$members.kills' } } }]);
    expect(await squads.findOne({ _id: 1 })).toEqual({
      _id: 1,
      members: [{ name: 'ann', kills: 2 }, { name: 'bob', kills: 9, mvp: true }],
      tags: ['B', 'c'],
      total: 11,
    });
  });
  it('GIVEN counter updates on nested maps THEN an open cursor keeps its snapshot, no-ops are not counted modified, indexes follow changed fields', async () => {
    interface Day { _id: number; guildId: string; day: string; weapons: Record<string, number>; pairs?: string[]; seq: number }
    const days = target.db.collection<Day>('copy_on_write');
    await days.createIndex({ guildId: 1, day: 1 }, { unique: true });
    await days.insertMany(Array.from({ length: 4 }, (_, i) => ({ _id: i, guildId: 'g', day: `d${i}`, weapons: { AK: 1, M4: 1 }, seq: 0 })));
    const cursor = days.find({}, { batchSize: 2 }).sort({ _id: 1 });
    expect((await cursor.next())?.weapons).toEqual({ AK: 1, M4: 1 });
    const bump = await days.updateMany({}, { $inc: { 'weapons.AK': 2, 'weapons.SVD': 1 }, $set: { seq: 1 }, $push: { pairs: 'p1' } });
    expect(bump.modifiedCount).toBe(4);
    // The cursor's results were taken before the update: they show the values as they were.
    expect((await cursor.next())?.weapons).toEqual({ AK: 1, M4: 1 });
    expect(await cursor.next()).toEqual({ _id: 2, guildId: 'g', day: 'd2', weapons: { AK: 1, M4: 1 }, seq: 0 });
    await cursor.close();
    expect(await days.findOne({ _id: 2 })).toEqual({ _id: 2, guildId: 'g', day: 'd2', weapons: { AK: 3, M4: 1, SVD: 1 }, seq: 1, pairs: ['p1'] });
    const same = await days.updateOne({ _id: 0 }, { $inc: { 'weapons.AK': 0 }, $set: { seq: 1 }, $max: { 'weapons.M4': 1 } });
    expect([same.matchedCount, same.modifiedCount]).toEqual([1, 0]);
    await days.updateOne({ _id: 3 }, { $set: { day: 'd9' } });
    expect(await days.countDocuments({ guildId: 'g', day: 'd9' })).toBe(1);
    expect(await days.countDocuments({ guildId: 'g', day: 'd3' })).toBe(0);
    const err = await rejectionOf(days.updateOne({ _id: 1 }, { $set: { day: 'd9' } }));
    expect(err.code).toBe(11000);
    expect((await days.findOne({ _id: 1 }))?.day).toBe('d1');
  });
});
