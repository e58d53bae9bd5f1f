import type { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, type Target } from './target.js';

let target: Target;
beforeAll(async () => {
  target = await openTarget();
});
afterAll(async () => {
  await target.close();
});

describe('dev-mongo CRUD through the official driver', () => {
  it('GIVEN inserted kills THEN find, update, replace and delete see and change them', async () => {
    const kills = target.db.collection('kills');
    const inserted = await kills.insertMany([
      { killer: 'Ann', victim: 'Bob', weapon: 'AK', at: new Date('2024-01-01T00:00:00Z') },
      { killer: 'Bob', victim: 'Ann', weapon: 'SVD', at: new Date('2024-01-01T00:01:00Z') },
      { killer: 'Ann', victim: 'Cid', weapon: 'AK', at: new Date('2024-01-01T00:02:00Z') },
    ]);
    expect(inserted.insertedCount).toBe(3);

    const annKills = await kills.find({ killer: 'Ann' }).toArray();
    expect(annKills.map((k) => k.victim)).toEqual(['Bob', 'Cid']);
    const byId = await kills.findOne({ _id: inserted.insertedIds[1] as ObjectId });
    expect(byId?.weapon).toBe('SVD');
    expect(await kills.findOne({ at: { $gt: new Date('2024-01-01T00:01:30Z') } })).toMatchObject({ victim: 'Cid' });

    const many = await kills.updateMany({ weapon: 'AK' }, { $set: { rifle: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const noop = await kills.updateOne({ victim: 'Bob' }, { $set: { rifle: true } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    await kills.replaceOne({ victim: 'Ann' }, { killer: 'Bob', victim: 'Ann', weapon: 'M4' });
    expect(await kills.findOne({ victim: 'Ann' }, { projection: { _id: 0, weapon: 1, at: 1 } })).toEqual({ weapon: 'M4' });

    expect((await kills.deleteMany({ killer: 'Ann' })).deletedCount).toBe(2);
    expect(await kills.countDocuments()).toBe(1);
  });

  it('GIVEN 25 players THEN sort, skip, limit, projection and small batches page through getMore', async () => {
    const players = target.db.collection('players');
    await players.insertMany(Array.from({ length: 25 }, (_, i) => ({ name: `p${i}`, kills: (i * 7) % 25, deaths: i })));
    const top = await players.find({ kills: { $gte: 5 } }, { projection: { _id: 0, name: 1, kills: 1 } })
      .sort({ kills: -1 }).skip(1).limit(3).toArray();
    const rows = Array.from({ length: 25 }, (_, i) => ({ name: `p${i}`, kills: (i * 7) % 25 }));
    expect(top).toEqual(rows.filter((r) => r.kills >= 5).sort((a, b) => b.kills - a.kills).slice(1, 4));

    const paged = await players.find({}).sort({ deaths: 1 }).batchSize(4).toArray();
    expect(paged.map((p) => p.deaths)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    if (target.devMongo) expect(target.devMongo.stats().commands.getMore).toBeGreaterThanOrEqual(6);

    const cursor = players.find({}).batchSize(2);
    await cursor.next();
    await cursor.close();
    if (target.devMongo) expect(target.devMongo.stats().commands.killCursors).toBe(1);
    expect(await players.distinct('deaths', { deaths: { $lt: 3 } })).toEqual([0, 1, 2]);
  });

  it('GIVEN a counter THEN findOneAndUpdate returns the before or after document and upserts', async () => {
    const counters = target.db.collection<{ _id: string; seq?: number }>('counters');
    const created = await counters.findOneAndUpdate({ _id: 'kills' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
    expect(created).toEqual({ _id: 'kills', seq: 1 });
    const before = await counters.findOneAndUpdate({ _id: 'kills' }, { $inc: { seq: 5 } }, { returnDocument: 'before' });
    expect(before).toEqual({ _id: 'kills', seq: 1 });
    const removed = await counters.findOneAndDelete({ _id: 'kills' });
    expect(removed).toEqual({ _id: 'kills', seq: 6 });
    expect(await counters.findOneAndUpdate({ _id: 'none' }, { $set: { seq: 1 } })).toBeNull();
  });

  it('GIVEN documents THEN countDocuments and estimatedDocumentCount agree with what was written', async () => {
    const events = target.db.collection('events');
    await events.insertMany(Array.from({ length: 12 }, (_, i) => ({ kind: i % 3 === 0 ? 'suicide' : 'kill' })));
    expect(await events.countDocuments({ kind: 'suicide' })).toBe(4);
    expect(await events.countDocuments({}, { skip: 2, limit: 5 })).toBe(5);
    expect(await events.estimatedDocumentCount()).toBe(12);
  });

  it('GIVEN mixed field types THEN comparisons match only their own type, arrays by any element, $ne matches missing', async () => {
    const seqs = target.db.collection<{ _id: number; seq?: unknown }>('seqs');
    await seqs.insertMany([{ _id: 1, seq: 3 }, { _id: 2, seq: '3' }, { _id: 3 }, { _id: 4, seq: [1, 9] }, { _id: 5, seq: 7 }]);
    const ids = async (filter: object) => (await seqs.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ seq: { $lt: 5 } })).toEqual([1, 4]);
    expect(await ids({ seq: { $gt: 5, $lt: 8 } })).toEqual([4, 5]);
    expect(await ids({ seq: { $ne: 3 } })).toEqual([2, 3, 4, 5]);
    expect(await ids({ seq: { $in: [9, '3'] } })).toEqual([2, 4]);
    expect(await ids({ _id: 1, seq: { $lt: 3 } })).toEqual([]);
  });
});
