import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeathLog, summarize } from '../../parsers/index.js';
import { createIngestWriter, openStore, type Store } from '../../src/store/index.js';
import { contextOf } from '../../src/store/store.js';
import { freshKey, serverIn, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

const ANN = '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const BEN = '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const TICKS = 8_640;

/** Tick `i` of the day (one every 10 s): Ann kills Ben, and on every third tick Ben kills Ann instead. */
function tickRow(i: number): string {
  const s = i * 10;
  const time = `2025.05.15-${[s / 3600, (s / 60) % 60, s % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join('.')}`;
  return i % 3 === 2 ? `${time};Ben;${BEN};Ann;${ANN};AK-mod;10;\n` : `${time};Ann;${ANN};Ben;${BEN};M4;20;\n`;
}

describe('killer-victim segments of a busy day', () => {
  let db: TestDatabase;
  let store: Store;
  const { logger } = testLogger();
  beforeAll(async () => {
    db = await startTestDatabase('segments');
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it(`GIVEN a day of ${TICKS} ticks, each a batch with a kill of the same pair THEN the day documents stay small and nemesis and prey stay exact`, async () => {
    const { guild, target } = await serverIn(store);
    const writer = createIngestWriter(store, { logger, flushMs: 60_000 });
    for (let i = 0; i < TICKS; i += 1) {
      await writer.add(target, { summary: summarize(parseDeathLog('2025.05.15-00.00.00.csv', tickRow(i))), cursors: [] });
      await writer.flush(target);
    }
    await writer.close();
    const days = await contextOf(store).collections.stats.find({ k: 'day' }).toArray();
    expect(days).toHaveLength(2);
    for (const day of days) {
      expect(day.pairs?.length).toBeLessThanOrEqual(16);
      expect(BSON.calculateObjectSize(day)).toBeLessThan(2_048);
    }
    const ann = await guild.stats.player(ANN, { serverId: target.serverId });
    expect(ann).toMatchObject({ kills: 5_760, deaths: 2_880, prey: { playerId: BEN, kills: 5_760 }, nemesis: { playerId: BEN, kills: 2_880 } });
    const annToday = await guild.stats.player(ANN, { period: 'day', now: Date.parse('2025-05-15T23:59:59Z') });
    expect(annToday).toMatchObject({ prey: { playerId: BEN, kills: 5_760 }, nemesis: { playerId: BEN, kills: 2_880 } });
    const ben = await guild.stats.player(BEN);
    expect(ben).toMatchObject({ prey: { playerId: ANN, kills: 2_880 }, nemesis: { playerId: ANN, kills: 5_760 } });
  }, 300_000);

  it('GIVEN a day on which many players hold crowded segments WHEN a tick adds a kill of one pair THEN the merge reads only that pair\'s two day documents', async () => {
    const url = new URL(db.uri);
    url.searchParams.set('monitorCommands', 'true');
    const watched = await openStore({ uri: url.toString(), dbName: db.another('merge-reads'), secretsKey: freshKey(), logger });
    const { target } = await serverIn(watched);
    const writer = createIngestWriter(watched, { logger, flushMs: 60_000 });
    const tick = async (rows: string): Promise<void> => {
      await writer.add(target, { summary: summarize(parseDeathLog('2025.05.15-00.00.00.csv', rows)), cursors: [] });
      await writer.flush(target);
    };
    const other = (n: number): string => `0003${n.toString(16).padStart(28, '0')}`;
    await tick(tickRow(0) + Array.from({ length: 30 }, (_, n) => `2025.05.15-01.00.${String(n).padStart(2, '0')};P${n};${other(n)};Q${n};${other(n + 100)};M4;20;\n`).join(''));
    // Every day document of the server crowded past the merge threshold, as a busy day would leave them.
    const { client, collections: { stats } } = contextOf(watched);
    for (const d of await stats.find({ k: 'day', serverId: target.serverId }).toArray()) {
      await stats.updateOne({ _id: d._id }, { $set: { pairs: Array.from({ length: 17 }, () => d.pairs?.[0]).filter((b) => b !== undefined) } });
    }
    const mergeFinds = new Set<number>();
    let read = 0;
    client.on('commandStarted', (e) => { if (e.commandName === 'find' && JSON.stringify(e.command.filter ?? {}).includes('pairs.16')) mergeFinds.add(e.requestId); });
    client.on('commandSucceeded', (e) => { if (mergeFinds.has(e.requestId)) read += (e.reply as { cursor: { firstBatch: unknown[] } }).cursor.firstBatch.length; });
    await tick(tickRow(1));
    await writer.close();
    expect(mergeFinds.size).toBe(1);
    expect(read).toBe(2);
    await watched.close();
  });

  it('GIVEN crowded day documents the merge cannot read WHEN ticks go on THEN the writer logs a warning naming the server and keeps counting', async () => {
    const { logger: watchedLogger, sink } = testLogger();
    const own = await openStore({ uri: db.uri, dbName: db.another('merge-fails'), secretsKey: freshKey(), logger: watchedLogger });
    const { guild, target } = await serverIn(own);
    const writer = createIngestWriter(own, { logger: watchedLogger, flushMs: 60_000 });
    const tick = async (i: number): Promise<void> => {
      await writer.add(target, { summary: summarize(parseDeathLog('2025.05.15-00.00.00.csv', tickRow(i))), cursors: [] });
      await writer.flush(target);
    };
    await tick(0);
    // Untyped: the stored values are deliberately not what the store writes.
    await contextOf(own).db.collection('stats').updateMany({ k: 'day', serverId: target.serverId }, { $set: { pairs: Array.from({ length: 17 }, () => 'not a segment') } });
    await tick(1);
    await tick(3);
    await writer.close();
    expect((await guild.stats.totals(target.serverId)).rows).toBe(3);
    expect(sink.lines.filter((l) => l.level === 40 && l.serverId === target.serverId && String(l.msg).includes('not merged'))).toHaveLength(2);
    await own.close();
  });
});
