import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore, type GuildStore, type IngestTarget, type Store } from '../../src/store/index.js';
import { contextOf } from '../../src/store/store.js';
import type { StoreContext } from '../../src/store/context.js';
import { applyPending, recordPending } from '../../src/store/ingest-state.js';
import { storePendingBody } from '../../src/store/pending-parts.js';
import { statsOpChunks } from '../../src/store/stats-ops.js';
import { Binary } from 'mongodb';
import { addPackedInSteps, addSummary, emptyTally, type BatchTally } from '../../src/store/batch-tally.js';
import { PlayerNumbers } from '../../src/store/player-numbers.js';
import { runStepsYielding } from '../../src/store/steps.js';
import { readStreakBases } from '../../src/store/streak-bases.js';
import { encodeTally } from '../../src/store/tally-codec.js';
import { packSummary, parseDeathLog, summarize } from '../../parsers/index.js';
import { feedFiles, referenceSummary, type LogFile } from './feed.js';
import { freshKey, serverIn, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';
import { expectedPlayers, statsSnapshot, storedPlayers } from './snapshot.js';

const files: LogFile[] = generateDeathLogHistory({ seed: 7, days: 3, rowsPerDay: 2_000, players: 40, format: 'mixed' })
  .map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
const reference = referenceSummary(files);

/** Applies only the chunks of a batch's updates that `pick` chooses, as a crash part-way through step 2 would leave them. */
async function applySome(ctx: StoreContext, key: IngestTarget, seq: number, tally: BatchTally, pick: (chunk: number) => boolean): Promise<void> {
  const chunks = [...statsOpChunks({ ...key, seq }, tally, { ops: 20, bytes: Infinity })];
  expect(chunks.length).toBeGreaterThan(2);
  for (const [i, ops] of chunks.entries()) if (pick(i)) await ctx.collections.stats.bulkWrite(ops, { ordered: false });
}

describe('ingest writer', () => {
  let db: TestDatabase;
  const { logger } = testLogger();
  const open = (dbName: string): Promise<Store> => openStore({ uri: db.uri, dbName, secretsKey: freshKey(), logger });
  beforeAll(async () => { db = await startTestDatabase('writer'); });
  afterAll(async () => { await db.dispose(); });

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
    const { store, target, ctx, tally } = await withReferenceTally(dbName);
    const pending = { seq: 1, ...(await storePendingBody(ctx, target, 1, await encodeTally(tally))), cursors: [], recent: [] };
    await recordPending(ctx, target, pending);
    await applySome(ctx, target, 1, tally, (i) => i % 3 === 0);
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

  it('GIVEN a big batch left pending in parts after only part of it was applied THEN resuming reads the parts back and finishes it exactly, and its parts are gone', async () => {
    const dbName = db.another('partial-parts');
    const { store, target, ctx, tally } = await withReferenceTally(dbName);
    const pending = { seq: 1, ...(await storePendingBody(ctx, target, 1, await encodeTally(tally), 1024)), cursors: [], recent: [] };
    expect(pending.parts).toBeGreaterThan(1);
    await recordPending(ctx, target, pending);
    await applySome(ctx, target, 1, tally, (i) => i % 3 === 0);
    await createIngestWriter(store, { logger }).resume(target);
    expect(await storedPlayers(db.uri, dbName)).toEqual(expectedPlayers(reference));
    expect((await ctx.collections.ingest.findOne({ _id: target.serverId }))?.pending).toBeUndefined();
    expect(await ctx.collections.pendingParts.countDocuments({ serverId: target.serverId })).toBe(0);
    await store.close();
  });

  it('GIVEN a batch left pending in parts and one part gone THEN resuming fails with a plain message and counts nothing', async () => {
    const dbName = db.another('lost-part');
    const { store, target, ctx, tally } = await withReferenceTally(dbName);
    const pending = { seq: 1, ...(await storePendingBody(ctx, target, 1, await encodeTally(tally), 1024)), cursors: [], recent: [] };
    await recordPending(ctx, target, pending);
    await ctx.collections.pendingParts.deleteOne({ serverId: target.serverId, i: 1 });
    const second = await serverIn(store, 'Second');
    await recordPending(ctx, second.target, { seq: 1, ...(await storePendingBody(ctx, second.target, 1, await encodeTally(tally))), cursors: [], recent: [] });
    const writer = createIngestWriter(store, { logger });
    await expect(writer.resume(target)).rejects.toThrow(/Batch 1 of game server .* 1 of its \d+ parts are gone.*rebuild the server's history/);
    expect(await ctx.collections.stats.countDocuments({ serverId: target.serverId })).toBe(0);
    // Only that server stops: the writer finishes another server's pending batch and takes its work.
    await writer.add(second.target, { summary: reference, cursors: [] });
    await writer.flush();
    expect((await second.guild.stats.totals(second.target.serverId)).rows).toBe(2 * reference.totals.rows);
    await store.close();
  });

  it.each([
    ['its last part cut short by 8 bytes', 'last', (b: Buffer): Buffer => b.subarray(0, b.length - 8)],
    ['the first 4 bytes of its first part garbled', 'first', (b: Buffer): Buffer => Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0x7f]), b.subarray(4)])],
  ] as const)('GIVEN a batch left pending in parts with %s WHEN the writer takes work for that server THEN it fails with a plain message, counts nothing, and other servers go on', async (_, which, damage) => {
    const dbName = db.another(`damaged-${which}`);
    const { store, target, ctx, tally } = await withReferenceTally(dbName);
    const pending = { seq: 1, ...(await storePendingBody(ctx, target, 1, await encodeTally(tally), 1024)), cursors: [], recent: [] };
    await recordPending(ctx, target, pending);
    const parts = ctx.collections.pendingParts;
    const part = await parts.findOne({ serverId: target.serverId }, { sort: { i: which === 'last' ? -1 : 1 } });
    await parts.updateOne({ _id: part?._id ?? '' }, { $set: { bytes: new Binary(damage(Buffer.from(part?.bytes.value() ?? []))) } });
    const second = await serverIn(store, 'Second');
    const writer = createIngestWriter(store, { logger });
    await expect(writer.add(target, { summary: reference, cursors: [] })).rejects.toThrow(/^Batch 1 of game server .* damaged .*rebuild the server's history from its files\.$/);
    expect(await ctx.collections.stats.countDocuments({ serverId: target.serverId })).toBe(0);
    await writer.add(second.target, { summary: reference, cursors: [] });
    await writer.flush();
    expect((await second.guild.stats.totals(second.target.serverId)).rows).toBe(reference.totals.rows);
    await store.close();
  });

  it('GIVEN a crash after a big batch\'s parts were written and before its record WHEN the next writer loads the server THEN the parts are gone and the server ingests from where it was', async () => {
    const dbName = db.another('leftover-parts');
    const { store, guild, target, ctx, tally } = await withReferenceTally(dbName);
    await storePendingBody(ctx, target, 1, await encodeTally(tally), 1024);
    expect(await ctx.collections.pendingParts.countDocuments({ serverId: target.serverId })).toBeGreaterThan(1);
    const writer = createIngestWriter(store, { logger });
    expect(await writer.resume(target)).toEqual([]);
    expect(await ctx.collections.pendingParts.countDocuments({ serverId: target.serverId })).toBe(0);
    await writer.add(target, { summary: reference, cursors: [] });
    await writer.close();
    expect((await guild.stats.totals(target.serverId)).rows).toBe(reference.totals.rows);
    await store.close();
  });

  it('GIVEN the history fed packed (history-run worker form) THEN every stored document equals the plain feed\'s', async () => {
    const plain = db.another('plain');
    const packed = db.another('packed');
    for (const [dbName, pack] of [[plain, false], [packed, true]] as const) {
      const store = await open(dbName);
      const { target } = await serverIn(store);
      // Small batches and a small byte bound: days and players span several batches, so the
      // streak bases read between batches and the several segments per player-day are exercised.
      // The packed side also writes its pending records in small parts: the documents must not differ.
      const writer = createIngestWriter(store, { flushRows: 900, maxBatchBytes: 64 * 1024, flushMs: 50, logger, ...(pack ? { partBytes: 1024 } : {}) });
      await feedFiles(writer, target, files, 5_000, undefined, () => pack);
      await writer.close();
      await store.close();
    }
    expect(await storedPlayers(db.uri, packed)).toEqual(expectedPlayers(reference));
    expect(await statsSnapshot(db.uri, packed)).toEqual(await statsSnapshot(db.uri, plain));
  });

  it('GIVEN a packed batch with stored streaks left pending after part of it was applied THEN resuming finishes it exactly', async () => {
    const dbName = db.another('packed-partial');
    const store = await open(dbName);
    const { target } = await serverIn(store);
    const ctx = contextOf(store);
    const [first, ...rest] = files;
    const writer = createIngestWriter(store, { logger });
    await feedFiles(writer, target, first ? [first] : [], 1 << 20);
    await writer.close();
    const tally = emptyTally();
    // The numbers the first file's players were given, as the writer would have them.
    const numbers = new PlayerNumbers();
    for (const d of await ctx.collections.stats.find({ k: 'player' }).toArray()) numbers.remember(String(d.playerId), Number(d.no));
    for (const f of rest) {
      const s = summarize(parseDeathLog(f.name, f.bytes, { final: true }));
      addSummary(tally, { ...s, players: new Map(), days: new Map() }, numbers);
      await runStepsYielding(addPackedInSteps(tally, packSummary(s), numbers));
    }
    await readStreakBases(ctx, target, tally);
    const pending = { seq: 2, ...(await storePendingBody(ctx, target, 2, await encodeTally(tally))), cursors: [], recent: [] };
    await recordPending(ctx, target, pending);
    await applySome(ctx, target, 2, tally, (i) => i % 2 === 1);
    const restarted = createIngestWriter(store, { logger });
    await restarted.resume(target);
    expect(await storedPlayers(db.uri, dbName)).toEqual(expectedPlayers(reference));
    await store.close();
  });

  it('GIVEN a restart between files THEN the next writer numbers only new players, after the stored ones, and every figure equals one uninterrupted run', async () => {
    const once = db.another('numbers-once');
    const twice = db.another('numbers-twice');
    for (const [dbName, parts] of [[once, [files]], [twice, [files.slice(0, 1), files.slice(1)]]] as const) {
      const store = await open(dbName);
      const { target } = await serverIn(store);
      for (const part of parts) {
        const writer = createIngestWriter(store, { flushRows: 1_500, logger });
        await feedFiles(writer, target, part, 4_000, undefined, (i) => i % 2 === 0);
        await writer.close();
      }
      await store.close();
    }
    const players = await contextOfDb(twice);
    const numbers = players.map((p) => p.no).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: reference.players.size }, (_, i) => i + 1));
    expect(await statsSnapshot(db.uri, twice)).toEqual(await statsSnapshot(db.uri, once));
  });

  /** A store with one server, and the reference history's figures as one batch's tally. */
  async function withReferenceTally(dbName: string): Promise<{ store: Store; guild: GuildStore; target: IngestTarget; ctx: ReturnType<typeof contextOf>; tally: BatchTally }> {
    const store = await open(dbName);
    const { guild, target } = await serverIn(store);
    const tally = emptyTally();
    addSummary(tally, reference, new PlayerNumbers());
    return { store, guild, target, ctx: contextOf(store), tally };
  }

  /** The player documents of a database, with their numbers. */
  async function contextOfDb(dbName: string): Promise<{ playerId: string; no: number }[]> {
    const store = await open(dbName);
    try {
      const docs = await contextOf(store).collections.stats.find({ k: 'player' }).toArray();
      return docs.map((d) => ({ playerId: String(d.playerId), no: Number(d.no) }));
    } finally {
      await store.close();
    }
  }

  it('GIVEN packed chunks of a big server still being folded in, in steps WHEN the writer is flushed THEN flush returns once they are durable', async () => {
    const dbName = db.another('flush-mid-merge');
    const store = await open(dbName);
    const { guild, target } = await serverIn(store);
    const big = generateDeathLogHistory({ seed: 9, days: 2, rowsPerDay: 4_000, players: 1_500, format: 9 }).map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
    const writer = createIngestWriter(store, { logger, flushMs: 60_000 });
    const adds = big.map((f) => {
      const s = summarize(parseDeathLog(f.name, f.bytes, { final: true }));
      const { totals, firstTime, lastTime } = s;
      return writer.add(target, { summary: { totals, firstTime, lastTime, players: new Map(), days: new Map() }, packed: packSummary(s), cursors: [] });
    });
    await writer.flush();
    expect((await guild.stats.totals(target.serverId)).rows).toBe(8_000);
    expect(await storedPlayers(db.uri, dbName)).toEqual(expectedPlayers(referenceSummary(big)));
    await Promise.all(adds);
    await writer.close();
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
