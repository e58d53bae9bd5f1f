import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { BSON, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHistory } from '../../src/ingest/history-run.js';
import { ALICE, BOB, CARL, row, startPipeline, type Pipeline, type TestServer } from './harness.js';

const DAY = '2025.05.15-00.00.00.csv';
const MB = 1024 * 1024;

describe('a death-log row with no line end', () => {
  let p: Pipeline;
  let client: MongoClient;
  beforeAll(async () => {
    p = await startPipeline('over-long');
    client = await MongoClient.connect(p.db.uri);
  });
  afterAll(async () => {
    await client.close();
    await p.close();
  });

  const stateBytes = async (s: TestServer): Promise<number> => {
    const state = await client.db(p.db.dbName).collection('ingest_state').findOne({ _id: s.watch.target.serverId as never });
    return BSON.calculateObjectSize(state ?? {});
  };

  it('GIVEN the live file gains a 20 MB row with no newline THEN ticks go on, the ingest state stays small, and once the row ends it is one malformed row, located, with the rows after it counted', async () => {
    const s = await p.addServer('endless-row');
    s.appendDeathLog(DAY, row('2025.05.15-10.00.00', ALICE, BOB) + row('2025.05.15-10.01.00', BOB, CARL));
    expect(await p.tick(s)).toMatchObject({ rows: 2 });

    const path = join(s.deathLogDir, DAY);
    for (let written = 0; written < 20 * MB; written += 4 * MB) {
      appendFileSync(path, Buffer.alloc(4 * MB, 'x'));
      // Each tick reads at most 8 MiB, so the row is taken over several; none may fail.
      while ((await p.tick(s)).bytesRead > 0);
    }
    expect(await stateBytes(s)).toBeLessThan(100 * 1024);

    s.appendDeathLog(DAY, `xx\n${row('2025.05.15-10.05.00', CARL, ALICE)}${row('2025.05.15-10.06.00', CARL, BOB)}`);
    const after = await p.tick(s);
    expect(after).toMatchObject({ rows: 3, malformed: 1, kills: 2 });
    expect(after.malformedSample).toMatchObject([{ file: DAY, line: 3, reason: expect.stringContaining('64 KiB') }]);
    expect(await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId)).toMatchObject({ rows: 5, malformed: 1, kills: 4 });
  }, 120_000);

  it('GIVEN a history run over a file whose last row is 20 MB with no newline THEN the ingest state stays small, and a tick after the row ends counts it as one malformed row, located', async () => {
    const s = await p.addServer('history-endless-row');
    s.appendDeathLog(DAY, row('2025.05.15-10.00.00', ALICE, BOB) + row('2025.05.15-10.01.00', BOB, CARL));
    appendFileSync(join(s.deathLogDir, DAY), Buffer.alloc(20 * MB, 'x'));
    const report = await p.pool.runIo((ctx) => runHistory({ writer: p.writer, now: Date.now }, s.watch, ctx, { fresh: true, finalizeNewest: false, sliceBytes: 1 * MB }), {
      label: 'history', key: `server:${s.watch.target.serverId}`, exclusive: true,
    });
    expect(report).toMatchObject({ rows: 2, malformed: 0 });
    expect(await stateBytes(s)).toBeLessThan(100 * 1024);

    s.appendDeathLog(DAY, `xx\n${row('2025.05.15-10.05.00', CARL, ALICE)}`);
    expect(await p.tick(s)).toMatchObject({ rows: 2, malformed: 1, malformedSample: [{ file: DAY, line: 3 }] });
    expect(await p.store.guild(p.guildId).stats.totals(s.watch.target.serverId)).toMatchObject({ rows: 4, malformed: 1, kills: 3 });
  }, 120_000);
});
