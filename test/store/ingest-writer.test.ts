import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type Store } from '../../src/store/index.js';
import { contextOf } from '../../src/store/store.js';
import { applyPending, recordPending } from '../../src/store/ingest-state.js';
import { statsOps } from '../../src/store/stats-ops.js';
import { addSummary, emptyTally } from '../../src/store/batch-tally.js';
import { encodeTally } from '../../src/store/tally-codec.js';
import { feedFiles, referenceSummary, type LogFile } from './feed.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';
import { expectedPlayers, storedPlayers } from './snapshot.js';

const files: LogFile[] = generateDeathLogHistory({ seed: 7, days: 3, rowsPerDay: 2_000, players: 40, format: 'mixed' })
  .map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
const reference = referenceSummary(files);

describe('ingest writer', () => {
  let db: TestDatabase;
  const { logger } = testLogger();
  const open = (dbName: string): Promise<Store> => openStore({ uri: db.uri, dbName, secretsKey: freshKey(), logger });
  beforeAll(async () => { db = await startTestDatabase('writer'); });
  afterAll(async () => { await db.dispose(); });

  async function serverIn(store: Store) {
    const guild = store.guild(snowflake(1));
    const server = await guild.servers.add({ name: 'Main', host: 'h', username: 'u', password: 'p' });
    return { guild, target: await guild.ingest.target(server.id) };
  }

  it('GIVEN a history fed in odd-sized chunks THEN every player and the totals equal the pure reference exactly', async () => {
    const dbName = db.another('chunks');
    const store = await open(dbName);
    const { guild, target } = await serverIn(store);
    const writer = createIngestWriter(store, { flushRows: 700, flushMs: 50, logger });
    await feedFiles(writer, target, files, 3_333);
    await writer.close();
    expect(await storedPlayers(db.uri, dbName)).toEqual(expectedPlayers(reference));
    const totals = await guild.stats.totals();
    expect({ ...totals, firstTime: undefined, lastTime: undefined }).toEqual({ ...reference.totals, firstTime: undefined, lastTime: undefined });
    expect(totals.lastTime).toBe(reference.lastTime);
    const cursors = await guild.ingest.cursors(target.serverId);
    expect(cursors.map((c) => [c.file, c.offset, c.carry.length])).toEqual(files.map((f) => [f.name, f.bytes.length, 0]));
    await store.close();
  });

  it('GIVEN a batch left pending after only part of it was applied THEN resuming finishes it without counting anything twice', async () => {
    const dbName = db.another('partial');
    const store = await open(dbName);
    const { target } = await serverIn(store);
    const ctx = contextOf(store);
    const tally = emptyTally();
    addSummary(tally, reference);
    const pending = { seq: 1, stats: encodeTally(tally), cursors: [], recent: [] };
    await recordPending(ctx, target, pending);
    const ops = statsOps({ ...target, seq: 1 }, tally);
    await ctx.collections.stats.bulkWrite(ops.filter((_, i) => i % 3 === 0), { ordered: false });
    await applyPending(ctx, target, pending); // applied twice over the same documents: the guard holds
    const restarted = createIngestWriter(store, { logger });
    await restarted.resume(target);
    await restarted.resume(target);
    expect(await storedPlayers(db.uri, dbName)).toEqual(expectedPlayers(reference));
    const state = await ctx.collections.ingest.findOne({ _id: target.serverId });
    expect(state?.seq).toBe(1);
    expect(state?.pending).toBeUndefined();
    await store.close();
  });

  it('GIVEN a writer created for one store THEN a target from another store is refused', async () => {
    const a = await open(db.another('a'));
    const b = await open(db.another('b'));
    const { target } = await serverIn(a);
    const writer = createIngestWriter(b, { logger });
    await expect(writer.resume(target)).rejects.toThrow(/same store/);
    await a.close();
    await b.close();
  });
});
