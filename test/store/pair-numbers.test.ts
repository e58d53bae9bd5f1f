import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeathLog, summarize } from '../../parsers/index.js';
import { createIngestWriter, openStore, type Store } from '../../src/store/index.js';
import { buildSegment, segmentBinary } from '../../src/store/pair-segment.js';
import { contextOf } from '../../src/store/store.js';
import { statId } from '../../src/store/stats-ops.js';
import { freshKey, serverIn, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

const A = '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const C = '0002cccccccccccccccccccccccccccc';
const row = (time: string, killer: string, victim: string) => `2025.05.15-${time};K;${killer};V;${victim};AK-mod;10;\n`;

describe('player numbers and killer-victim segments', () => {
  let db: TestDatabase;
  const { logger } = testLogger();
  const open = (dbName: string): Promise<Store> => openStore({ uri: db.uri, dbName, secretsKey: freshKey(), logger });
  beforeAll(async () => { db = await startTestDatabase('numbers'); });
  afterAll(async () => { await db.dispose(); });

  it('GIVEN player documents gone while the ingest state stayed (a reset cut short) THEN new players get numbers never handed out before', async () => {
    const store = await open(db.another('cut-short'));
    const { target } = await serverIn(store);
    const first = createIngestWriter(store, { logger });
    await first.add(target, { summary: summarize(parseDeathLog('2025.05.15-00.00.00.csv', row('10.00.00', A, B))), cursors: [] });
    await first.close();
    const { stats } = contextOf(store).collections;
    const numbered = await stats.find({ k: 'player' }, { sort: { no: 1 } }).toArray();
    expect(numbered.map((d) => d.no)).toEqual([1, 2]);
    // The figures of the player numbered highest are deleted; the day that names that number stays.
    await stats.deleteOne({ _id: numbered[1]?._id ?? '' });
    const second = createIngestWriter(store, { logger });
    await second.add(target, { summary: summarize(parseDeathLog('2025.05.15-00.00.00.csv', row('11.00.00', String(numbered[0]?.playerId), C))), cursors: [] });
    await second.close();
    expect((await stats.findOne({ _id: statId(target.serverId, 'player', C) }))?.no).toBe(3);
    await store.close();
  });

  it('GIVEN a segment THEN it holds victims then killers by number, little-endian', () => {
    const segment = buildSegment(new Map([[7, 2]]), new Map([[9, 1]]), [{ entries: Int32Array.from([3, 4, 5, 6]), victims: 1 }]);
    expect([...segment]).toEqual([2, 7, 2, 3, 4, 9, 1, 5, 6]);
    expect([...new Uint8Array(segmentBinary(segment).value()).subarray(0, 8)]).toEqual([2, 0, 0, 0, 7, 0, 0, 0]);
  });
});
