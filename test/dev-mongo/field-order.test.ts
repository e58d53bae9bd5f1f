import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, type Target } from './target.js';

interface Player {
  _id: number;
  a?: number;
  b?: { x?: number; y?: number };
  c?: number;
  e?: number;
}

interface Upserted {
  _id: string;
  guild: string;
  n?: Record<string, number>;
  c?: number;
  i?: number;
  o?: number;
  s?: number;
  zz?: number;
}

let target: Target;
beforeAll(async () => {
  target = await openTarget();
  // Two documents whose fields are stored in different orders.
  await target.db.collection<Player>('players').insertMany([
    { _id: 1, c: 3, a: 1, b: { y: 2, x: 1 } },
    { _id: 2, a: 2, c: 1, b: { x: 3, y: 4 } },
  ]);
});
afterAll(async () => {
  await target.close();
});

/** Field names in order, nested objects as [name, their field names]. */
function shape(doc: object | null): unknown[] {
  return Object.entries(doc ?? {}).map(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [k, shape(v as object)] : k));
}

describe('dev-mongo returns fields in the order mongod does', () => {
  it('GIVEN find with a projection and a sort THEN each document keeps its own stored field order', async () => {
    const players = target.db.collection<Player>('players');
    const found = await players.find({}, { projection: { a: 1, c: 1, 'b.x': 1, 'b.y': 1 } }).sort({ c: 1 }).toArray();
    expect(found.map(shape)).toEqual([
      ['_id', 'a', 'c', ['b', ['x', 'y']]],
      ['_id', 'c', 'a', ['b', ['y', 'x']]],
    ]);
  });

  it('GIVEN findOneAndUpdate with a projection THEN the returned document keeps the stored order, the new field last', async () => {
    const players = target.db.collection<Player>('players');
    const after = await players.findOneAndUpdate({ _id: 1 }, { $set: { e: 5 } }, { projection: { e: 1, a: 1, c: 1 }, returnDocument: 'after' });
    expect(shape(after)).toEqual(['_id', 'c', 'a', 'e']);
    await players.updateOne({ _id: 1 }, { $unset: { e: '' } });
  });

  it('GIVEN aggregate $project THEN included fields keep the document order and computed ones follow in the order given', async () => {
    const players = target.db.collection<Player>('players');
    const out = await players.aggregate([{ $sort: { _id: 1 } }, { $project: { z: { $add: ['$a', 1] }, c: 1, y: '$b.y', a: 1 } }]).toArray();
    expect(out.map(shape)).toEqual([
      ['_id', 'c', 'a', 'z', 'y'],
      ['_id', 'a', 'c', 'z', 'y'],
    ]);
  });

  it('GIVEN an upsert THEN _id comes first, then the filter equality, then the update fields in name order; a later update appends new fields in name order', async () => {
    const coll = target.db.collection<Upserted>('upserts');
    await coll.updateOne(
      { _id: 'u1', guild: 'g' },
      { $set: { s: 1, 'n.b': 1, 'n.a': 1 }, $inc: { i: 1 }, $setOnInsert: { o: 1 } },
      { upsert: true },
    );
    expect(shape(await coll.findOne({ _id: 'u1' }))).toEqual(['_id', 'guild', 'i', ['n', ['a', 'b']], 'o', 's']);
    await coll.updateOne({ _id: 'u1' }, { $set: { zz: 1, guild: 'h', 'n.c': 1 }, $inc: { c: 1, s: 1 } });
    expect(shape(await coll.findOne({ _id: 'u1' }))).toEqual(['_id', 'guild', 'i', ['n', ['a', 'b', 'c']], 'o', 's', 'c', 'zz']);
  });
});
