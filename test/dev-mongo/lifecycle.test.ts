import { connect } from 'node:net';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startDevMongoCli } from '../../src/dev-mongo/cli.js';
import { startDevMongo } from '../../src/dev-mongo/index.js';

function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('dev-mongo lifecycle', () => {
  it('GIVEN a paused server THEN connections are refused, and after resume the same client sees the same data', async () => {
    const mongo = await startDevMongo();
    const client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 1000 });
    try {
      const coll = client.db('life').collection('kills');
      await coll.insertOne({ victim: 'bob' });
      await mongo.pause();
      expect(await connectError(mongo.port)).toBe('ECONNREFUSED');
      const whilePaused = await coll.countDocuments().then(() => 'answered', (err: Error) => err.message);
      expect(whilePaused).toMatch(/ECONNREFUSED|closed|ended/);
      await mongo.resume();
      expect(await coll.countDocuments({ victim: 'bob' })).toBe(1);
      expect(mongo.stats().connections).toBeGreaterThan(2);
    } finally {
      await client.close();
      await mongo.close();
    }
  });

  it('GIVEN commands THEN stats count round trips and commands by name', async () => {
    const mongo = await startDevMongo();
    const client = await new MongoClient(mongo.uri).connect();
    try {
      const before = mongo.stats();
      await client.db('life').command({ ping: 1 });
      await client.db('life').command({ ping: 1 });
      const after = mongo.stats();
      expect(after.messages - before.messages).toBe(2);
      expect((after.commands.ping ?? 0) - (before.commands.ping ?? 0)).toBe(2);
    } finally {
      await client.close();
      await mongo.close();
    }
  });

  it('GIVEN the CLI on a free port THEN it prints the URI, serves it and stops when closed', async () => {
    const lines: string[] = [];
    const running = await startDevMongoCli(['--port', '0'], { write: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    const uri = /^dev-mongo listening on (mongodb:\/\/\S+)\n$/.exec(lines[0] ?? '')?.[1];
    expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/\?directConnection=true$/);
    const client = await new MongoClient(uri as string).connect();
    expect(await client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
    await client.close();
    await running.close();
    expect(await connectError(Number(/:(\d+)\//.exec(uri as string)?.[1]))).toBe('ECONNREFUSED');
  });

  it('GIVEN a bad --port THEN the CLI says what a good value looks like', async () => {
    await expect(startDevMongoCli(['--port', 'abc'])).rejects.toThrow(/--port must be a whole number from 0 to 65535/);
  });
});
