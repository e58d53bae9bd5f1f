import { BSON, type Document } from 'bson';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, rejectionOf, type Target } from './target.js';

const MAX = 16 * 1024 * 1024;

/** Documents keyed by a string `_id`, as the store's are. */
interface Stored {
  _id: string;
  [field: string]: unknown;
}

let target: Target;
beforeAll(async () => {
  target = await openTarget();
});
afterAll(async () => {
  await target.close();
});

/**
 * mongod 7.0's answer for a document over 16 MiB (`code`, `message`), or the newer servers' one for
 * the same write: 10334 BSONObjectTooLarge. dev-mongo answers as 7.0 does; a real MongoDB of 7.0 or
 * later (MONGODB_URI) may answer either.
 */
function expectTooLarge(err: { code?: unknown; errmsg?: unknown; message?: unknown }, code: number, message?: string): void {
  const got = [err.code, err.errmsg ?? err.message];
  if (got[0] === 10334) expect(String(got[1])).toMatch(/^BSONObj size: \d+ /);
  else expect(message === undefined ? got[0] : got).toEqual(message === undefined ? code : [code, message]);
}

/** A string field `name` that brings `doc` to exactly `size` BSON bytes. */
function fillTo(doc: Document, name: string, size: number): string {
  return 'y'.repeat(size - BSON.calculateObjectSize({ ...doc, [name]: '' }));
}

describe('dev-mongo refuses documents over 16 MiB as mongod does', () => {
  it('GIVEN the handshake THEN the server advertises the limits mongod does, so the driver checks the same sizes', async () => {
    const hello = await target.client.db('admin').command({ hello: 1 });
    expect(hello).toMatchObject({ maxBsonObjectSize: MAX, maxMessageSizeBytes: 48_000_000, maxWriteBatchSize: 100_000 });
  });

  it('GIVEN an ingest state WHEN updateOne with upsert sets an unfinished row of 16.9 MB THEN BSONObjectTooLarge (10334) and the state is as it was', async () => {
    const ingest = target.db.collection<Stored>('ingest');
    const state = { _id: 'server-1', pending: { carry: 'row;' }, seq: 3 };
    await ingest.insertOne(state);
    // Past 16 MiB + 16 KiB the command itself is refused; past 17 MiB the driver cannot even encode it.
    const row = 'x'.repeat(16_900_000);
    const err = await rejectionOf(ingest.updateOne({ _id: 'server-1' }, { $set: { 'pending.carry': row } }, { upsert: true }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect([err.code, err.codeName]).toEqual([10334, 'BSONObjectTooLarge']);
    expect(err.message).toMatch(/^BSONObj size: \d+ \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: update: "ingest"$/);
    expect(await ingest.findOne({ _id: 'server-1' })).toEqual(state);
    const fresh = await rejectionOf(ingest.updateOne({ _id: 'server-2' }, { $set: { 'pending.carry': row } }, { upsert: true }));
    expect(fresh.code).toBe(10334);
    expect(await ingest.countDocuments({ _id: 'server-2' })).toBe(0);
  });

  it('GIVEN a 9 MB unfinished row stored WHEN another 9 MB is set beside it THEN 10334 names the document and it keeps the first row only', async () => {
    const ingest = target.db.collection<Stored>('ingest-growth');
    const first = 'a'.repeat(9_000_000);
    await ingest.updateOne({ _id: 'server-1' }, { $set: { 'pending.carry': first } }, { upsert: true });
    const err = await rejectionOf(ingest.updateOne({ _id: 'server-1' }, { $set: { 'pending.more': 'b'.repeat(9_000_000) } }, { upsert: true }));
    expect(err.code).toBe(10334);
    expect(err.message).toMatch(/^BSONObj size: 18000\d+ \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: _id: "server-1"$/);
    expect(await ingest.findOne({ _id: 'server-1' })).toEqual({ _id: 'server-1', pending: { carry: first } });
  });

  it('GIVEN a 10 MB document WHEN an update would take it just past 16 MiB THEN 17419 (10334 on newer servers) and the document is unchanged', async () => {
    const coll = target.db.collection<{ _id: string; a: string; n: number; b?: string; m?: boolean }>('grow');
    const stored = { _id: 'big', a: 'x'.repeat(10 * 1024 * 1024), n: 1 };
    await coll.insertOne(stored);
    const tail = fillTo(stored, 'b', MAX + 100);
    const message = 'Resulting document after update is larger than 16777216';

    const one = await rejectionOf(coll.updateOne({ _id: 'big' }, { $set: { b: tail }, $inc: { n: 1 } }, { upsert: true }));
    expect(one).toBeInstanceOf(MongoServerError);
    expectTooLarge(one, 17419, message);

    const bulk = await rejectionOf(coll.bulkWrite([{ updateOne: { filter: { _id: 'big' }, update: { $set: { b: tail } } } }]));
    expect(bulk).toBeInstanceOf(MongoBulkWriteError);
    const writeErrors = (bulk as unknown as MongoBulkWriteError).writeErrors;
    expect(writeErrors).toHaveLength(1);
    expectTooLarge(Array.isArray(writeErrors) ? writeErrors[0] ?? {} : writeErrors, 17419, message);

    const fam = await rejectionOf(coll.findOneAndUpdate({ _id: 'big' }, { $set: { b: tail } }));
    expectTooLarge(fam, 17419, message);

    const replace = await rejectionOf(coll.replaceOne({ _id: 'big' }, { a: stored.a, n: 1, b: tail }));
    expectTooLarge(replace, 17419);

    expect(await coll.findOne({ _id: 'big' })).toEqual(stored);
    await coll.updateOne({ _id: 'big' }, { $set: { b: fillTo(stored, 'b', MAX) } });
    expect(BSON.calculateObjectSize((await coll.findOne({ _id: 'big' })) ?? {})).toBe(MAX);
    // At the limit exactly: an update that keeps the size passes, one more field does not.
    await coll.updateOne({ _id: 'big' }, { $inc: { n: 1 } });
    expectTooLarge(await rejectionOf(coll.updateOne({ _id: 'big' }, { $set: { m: true } })), 17419);
    await coll.updateOne({ _id: 'big' }, { $unset: { b: '' }, $set: { m: true } });
    expect(await coll.findOne({ _id: 'big' })).toEqual({ ...stored, n: 2, m: true });
  });

  it('GIVEN no match WHEN an upsert would create a document past 16 MiB THEN 17420 (10334 on newer servers) and nothing is created', async () => {
    const coll = target.db.collection<Stored>('upsert');
    const err = await rejectionOf(coll.updateOne({ _id: 'new' }, { $set: { b: fillTo({ _id: 'new' }, 'b', MAX + 100) } }, { upsert: true }));
    expectTooLarge(err, 17420, 'Document to upsert is larger than 16777216');
    expect(await coll.countDocuments()).toBe(0);
  });

  it('GIVEN an insert of a document just past 16 MiB THEN BadValue names its size (10334 on newer servers) and nothing is stored', async () => {
    const coll = target.db.collection<Stored>('insert');
    const doc = { _id: 'too-big', b: fillTo({ _id: 'too-big' }, 'b', MAX + 100) };
    const err = await rejectionOf(coll.insertOne(doc));
    expectTooLarge(err, 2, `object to insert too large. size in bytes: ${MAX + 100}, max size: 16777216`);
    expect(await coll.countDocuments()).toBe(0);
  });
});
