/**
 * dev-mongo through the official driver: upserts/s for the killfeed's hot path (unordered bulkWrite
 * of updateOne upserts with $inc/$max/$setOnInsert on a compound unique key) and `ping` round-trip
 * latency. Server and client share this process, as in the tests.
 */
import { MongoClient, type AnyBulkWriteOperation } from 'mongodb';
import { startDevMongo } from '../src/dev-mongo/index.js';
import { note, percentile, report, round } from './lib.js';

const KEYS = 5_000;
const OPS = 100_000;
const BATCH = 1_000;
const PINGS = 2_000;
const TARGET_UPSERTS_PER_S = 21_000;

interface PlayerStats {
  guildId: string;
  eosId: string;
  kills: number;
  longestKill: number;
  firstSeen: Date;
}

function batch(start: number): AnyBulkWriteOperation<PlayerStats>[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = start + i;
    return {
      updateOne: {
        filter: { guildId: 'g1', eosId: `eos-${(n * 7919) % KEYS}` },
        update: { $inc: { kills: 1 }, $max: { longestKill: n % 977 }, $setOnInsert: { firstSeen: new Date() } },
        upsert: true,
      },
    };
  });
}

const mongo = await startDevMongo();
const client = await new MongoClient(mongo.uri).connect();
const stats = client.db('bench').collection<PlayerStats>('player_stats');
await stats.createIndex({ guildId: 1, eosId: 1 }, { unique: true });
await stats.bulkWrite(batch(0), { ordered: false }); // warm-up, creates the first 1,000 keys

let upserted = 0;
const started = performance.now();
for (let done = 0; done < OPS; done += BATCH) {
  const result = await stats.bulkWrite(batch(done), { ordered: false });
  upserted += result.upsertedCount;
  if (done % 20_000 === 0) note(`${done} ops`);
}
const seconds = (performance.now() - started) / 1000;
const docs = await stats.countDocuments();
const totalKills = (await stats.aggregate<{ k: number }>([{ $group: { _id: null, k: { $sum: '$kills' } } }]).toArray())[0]?.k ?? 0;
if (docs !== KEYS || totalKills !== OPS + BATCH) throw new Error(`wrong result: ${docs} docs, ${totalKills} kills`);

// A collection before timing pings, so the bulk phase's garbage does not land in them.
(globalThis as { gc?: () => void }).gc?.();
const admin = client.db('admin');
for (let i = 0; i < 200; i += 1) await admin.command({ ping: 1 });
const samples: number[] = [];
for (let i = 0; i < PINGS; i += 1) {
  const t = performance.now();
  await admin.command({ ping: 1 });
  samples.push(performance.now() - t);
}

await client.close();
await mongo.close();

const upsertsPerS = Math.round(OPS / seconds);
report('mongo-upserts', {
  upserts_per_s: upsertsPerS,
  ops: OPS,
  distinct_keys: KEYS,
  batch_size: BATCH,
  inserted_during_run: upserted,
  total_s: round(seconds, 2),
  ping_p50_ms: round(percentile(samples, 50), 3),
  ping_p99_ms: round(percentile(samples, 99), 3),
  target_upserts_per_s: TARGET_UPSERTS_PER_S,
  target_met: upsertsPerS >= TARGET_UPSERTS_PER_S,
});
