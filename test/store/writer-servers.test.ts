import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeathLog, summarize } from '../../parsers/index.js';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type IngestTarget, type IngestWork, type Store } from '../../src/store/index.js';
import { contextOf } from '../../src/store/store.js';
import { packWork } from './feed.js';
import { freshKey, serverIn, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

const A = '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** One tick's work: one kill at `second` past 10:00. */
function tick(second: number): IngestWork {
  const time = `2025.05.15-10.${String(Math.floor(second / 60)).padStart(2, '0')}.${String(second % 60).padStart(2, '0')}`;
  return { summary: summarize(parseDeathLog('2025.05.15-00.00.00.csv', `${time};Ann;${A};Ben;${B};AK-mod;10;\n`)), cursors: [] };
}

/** Batches written for a server so far (each is one pending record, one apply, one advance). */
async function batchesOf(store: Store, target: IngestTarget): Promise<number> {
  return (await contextOf(store).collections.ingest.findOne({ _id: target.serverId }))?.seq ?? 0;
}

describe('the writer keeps each server to itself', () => {
  let db: TestDatabase;
  const { logger } = testLogger();
  const open = (dbName: string): Promise<Store> => openStore({ uri: db.uri, dbName, secretsKey: freshKey(), logger });
  beforeAll(async () => { db = await startTestDatabase('servers'); });
  afterAll(async () => { await db.dispose(); });

  it('GIVEN a big history chunk written for server B THEN server A\'s small chunks still share one batch', async () => {
    const store = await open(db.another('chunk-bound'));
    const a = await serverIn(store, 'A');
    const b = await serverIn(store, 'B');
    const writer = createIngestWriter(store, { logger, maxBatchBytes: 64 * 1024, flushMs: 60_000 });
    // One slice of a 600-player history: its figures alone are near the 64 KiB bound.
    const [day] = generateDeathLogHistory({ seed: 4, days: 1, rowsPerDay: 3_000, players: 600 });
    const summary = summarize(parseDeathLog(day?.name ?? '', day?.text ?? '', { final: true }));
    await writer.add(b.target, packWork({ summary, cursors: [] }));
    await writer.flush(b.target);
    for (let i = 0; i < 20; i += 1) await writer.add(a.target, tick(i));
    await writer.flush(a.target);
    expect(await batchesOf(store, a.target)).toBe(1);
    expect((await a.guild.stats.totals(a.target.serverId)).rows).toBe(20);
    await writer.close();
    await store.close();
  });

  it('GIVEN servers the writer has written for WHEN they are forgotten THEN their work is durable and the writer keeps nothing for them', async () => {
    const store = await open(db.another('forget'));
    const a = await serverIn(store, 'A');
    const b = await serverIn(store, 'B');
    const writer = createIngestWriter(store, { logger, flushMs: 60_000 });
    await writer.add(a.target, tick(1));
    await writer.add(b.target, tick(2));
    expect(writer.serversHeld()).toBe(2);
    await writer.forget(a.target);
    expect(writer.serversHeld()).toBe(1);
    expect((await a.guild.stats.totals(a.target.serverId)).rows).toBe(1);
    await writer.flush();
    expect(writer.serversHeld()).toBe(1);
    await writer.forget(b.target);
    expect(writer.serversHeld()).toBe(0);
    // A server forgotten and written again carries on from its stored state.
    await writer.add(a.target, tick(3));
    await writer.flush(a.target);
    expect(await batchesOf(store, a.target)).toBe(2);
    expect((await a.guild.stats.player(A, { serverId: a.target.serverId }))?.kills).toBe(2);
    await writer.close();
    await store.close();
  });
});
