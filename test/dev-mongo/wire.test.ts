import { connect, type Socket } from 'node:net';
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';

/** Raw framing written here from the wire-protocol spec, independent of the server's own code. */
function opMsg(requestId: number, body: Document, sequence?: { id: string; docs: Document[] }, flags = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  if (sequence) {
    const docs = Buffer.concat(sequence.docs.map((d) => Buffer.from(BSON.serialize(d))));
    const id = Buffer.from(`${sequence.id}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.length);
    parts.push(Buffer.from([1]), size, id, docs);
  }
  const payload = Buffer.concat(parts);
  const header = Buffer.alloc(20);
  header.writeInt32LE(20 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(flags, 16);
  return Buffer.concat([header, payload]);
}

function opQuery(requestId: number, collection: string, query: Document): Buffer {
  const name = Buffer.from(`${collection}\0`);
  const fixed = Buffer.alloc(8);
  fixed.writeInt32LE(0, 0);
  fixed.writeInt32LE(-1, 4);
  const payload = Buffer.concat([Buffer.alloc(4), name, fixed, Buffer.from(BSON.serialize(query))]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2004, 12);
  return Buffer.concat([header, payload]);
}

/** Reads one reply: [opCode, responseTo, body]. */
function readReply(socket: Socket): Promise<{ opCode: number; responseTo: number; body: Document }> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4 || data.length < data.readInt32LE(0)) return;
      socket.off('data', onData);
      const opCode = data.readInt32LE(12);
      const bodyAt = opCode === 1 ? 36 : 21;
      resolve({ opCode, responseTo: data.readInt32LE(8), body: BSON.deserialize(data.subarray(bodyAt)) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

let mongo: DevMongo;
let socket: Socket;
beforeAll(async () => {
  mongo = await startDevMongo();
  socket = connect(mongo.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
});
afterAll(async () => {
  socket.destroy();
  await mongo.close();
});

describe('dev-mongo wire protocol', () => {
  it('GIVEN a legacy OP_QUERY isMaster THEN it answers OP_REPLY as a standalone the driver accepts', async () => {
    socket.write(opQuery(7, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    const reply = await readReply(socket);
    expect(reply).toMatchObject({ opCode: 1, responseTo: 7 });
    expect(reply.body).toMatchObject({ ismaster: true, helloOk: true, ok: 1, minWireVersion: 0 });
    expect(reply.body.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(reply.body.setName).toBeUndefined();
  });

  it('GIVEN an insert whose documents come as an OP_MSG document sequence THEN all are stored', async () => {
    socket.write(opMsg(8, { insert: 'seq', $db: 'wire' }, { id: 'documents', docs: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] }));
    expect((await readReply(socket)).body).toEqual({ n: 3, ok: 1 });
    socket.write(opMsg(9, { count: 'seq', $db: 'wire' }));
    expect((await readReply(socket)).body).toEqual({ n: 3, ok: 1 });
  });

  it('GIVEN a document past 16 MiB + 16 KiB in a document sequence THEN the command is refused with 10334 and nothing is stored', async () => {
    const huge = { _id: 'huge', text: 'x'.repeat(16_800_000) };
    socket.write(opMsg(13, { insert: 'huge', $db: 'wire' }, { id: 'documents', docs: [{ _id: 'small' }, huge] }));
    const reply = (await readReply(socket)).body;
    expect(reply).toMatchObject({ ok: 0, code: 10334, codeName: 'BSONObjectTooLarge' });
    expect(reply.errmsg).toBe(`BSONObj size: ${BSON.calculateObjectSize(huge)} (0x${BSON.calculateObjectSize(huge).toString(16).toUpperCase()}) is invalid. Size must be between 0 and 16793600(16MB) First element: _id: "huge"`);
    socket.write(opMsg(14, { count: 'huge', $db: 'wire' }));
    expect((await readReply(socket)).body).toEqual({ n: 0, ok: 1 });
  });

  it('GIVEN moreToCome (a w:0 write) THEN the write happens and no reply is sent for it', async () => {
    socket.write(Buffer.concat([
      opMsg(10, { insert: 'fire', $db: 'wire', documents: [{ _id: 'x' }] }, undefined, 2),
      opMsg(11, { count: 'fire', $db: 'wire' }),
    ]));
    const reply = await readReply(socket);
    expect(reply.responseTo).toBe(11);
    expect(reply.body).toEqual({ n: 1, ok: 1 });
  });

  it('GIVEN a command written a few bytes at a time THEN it is answered once, whole', async () => {
    const message = opMsg(12, { count: 'seq', $db: 'wire' });
    const reply = readReply(socket);
    for (let at = 0; at < message.length; at += 3) {
      socket.write(message.subarray(at, at + 3));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await reply).toMatchObject({ responseTo: 12, body: { n: 3, ok: 1 } });
  });

  it('GIVEN a 6 MB insert THEN every document arrives intact', async () => {
    const client = await new MongoClient(mongo.uri).connect();
    const big = client.db('wire').collection('big');
    const text = 'x'.repeat(3000);
    await big.insertMany(Array.from({ length: 2000 }, (_, i) => ({ i, text })));
    expect(await big.countDocuments({ text })).toBe(2000);
    expect((await big.find({}, { sort: { i: -1 }, limit: 1 }).toArray())[0]?.i).toBe(1999);
    await client.close();
  });

  it('GIVEN bytes that are not the wire protocol THEN that connection is closed and others keep working', async () => {
    const rogue = connect(mongo.port, '127.0.0.1');
    await new Promise((resolve) => rogue.once('connect', resolve));
    const closed = new Promise((resolve) => rogue.once('close', resolve));
    rogue.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    const client = await new MongoClient(mongo.uri).connect();
    expect(await client.db('wire').collection('seq').countDocuments()).toBe(3);
    await client.close();
  });
});
