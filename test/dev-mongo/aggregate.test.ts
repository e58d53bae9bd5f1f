import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, type Target } from './target.js';

let target: Target;
beforeAll(async () => {
  target = await openTarget();
  await target.db.collection('kills').insertMany([
    { killer: 'ann', victim: 'bob', weapons: ['AK', 'knife'], distance: 120 },
    { killer: 'ann', victim: 'cid', weapons: ['AK'], distance: 300 },
    { killer: 'bob', victim: 'ann', weapons: ['SVD'], distance: 450 },
    { killer: 'cid', victim: 'bob', weapons: ['AK'], distance: 10 },
  ]);
  await target.db.collection('players').insertMany([
    { _id: 'ann', name: 'Ann' }, { _id: 'bob', name: 'Bob' }, { _id: 'cid', name: 'Cid' },
  ] as never[]);
});
afterAll(async () => {
  await target.close();
});

describe('dev-mongo aggregate through mingo', () => {
  it('GIVEN kills THEN $match/$group/$sort/$limit/$project build a leaderboard', async () => {
    const board = await target.db.collection('kills').aggregate([
      { $match: { distance: { $gte: 50 } } },
      { $group: { _id: '$killer', kills: { $sum: 1 }, longest: { $max: '$distance' } } },
      { $sort: { kills: -1, _id: 1 } },
      { $limit: 2 },
      { $project: { _id: 0, player: '$_id', kills: 1, longest: 1 } },
    ]).toArray();
    expect(board).toEqual([{ player: 'ann', kills: 2, longest: 300 }, { player: 'bob', kills: 1, longest: 450 }]);
  });

  it('GIVEN weapon lists THEN $unwind/$addFields count each weapon', async () => {
    const weapons = await target.db.collection('kills').aggregate([
      { $unwind: '$weapons' },
      { $addFields: { one: 1 } },
      { $group: { _id: '$weapons', uses: { $sum: '$one' } } },
      { $sort: { uses: -1, _id: 1 } },
    ]).toArray();
    expect(weapons).toEqual([{ _id: 'AK', uses: 3 }, { _id: 'SVD', uses: 1 }, { _id: 'knife', uses: 1 }]);
  });

  it('GIVEN a players collection THEN $lookup joins the killer name without changing stored kills', async () => {
    const joined = await target.db.collection('kills').aggregate([
      { $match: { victim: 'ann' } },
      { $lookup: { from: 'players', localField: 'killer', foreignField: '_id', as: 'who' } },
      { $set: { 'who.seen': true } },
      { $project: { _id: 0, name: { $first: '$who.name' } } },
    ]).toArray();
    expect(joined).toEqual([{ name: 'Bob' }]);
    expect(await target.db.collection('players').findOne({ _id: 'bob' } as never)).toEqual({ _id: 'bob', name: 'Bob' });
  });

  it('GIVEN a large result THEN the aggregate cursor pages with getMore', async () => {
    const many = target.db.collection('many');
    await many.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const out = await many.aggregate([{ $sort: { i: -1 } }], { batchSize: 50 }).toArray();
    expect(out.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i));
  });
});
