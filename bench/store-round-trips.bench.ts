/**
 * Database round trips per 10,000 death-log rows ingested through the store's ingest writer, in steady
 * state (after the first day's file, so connection set-up and index creation are not counted).
 * Rows are parsed inline in chunks, as the poller does; round trips are the messages the dev-mongo
 * server received (heartbeats included, so the figure errs high). Target: at most 3 per 10,000 rows.
 */
import { createDeathLogParser, summarize } from '../parsers/index.js';
import { startDevMongo } from '../src/dev-mongo/index.js';
import { generateDeathLogHistory } from '../src/generator/death-log.js';
import { createLogger } from '../src/logging/logger.js';
import { createIngestWriter, openStore, parseSecretsKey, toRecentEvents, type IngestTarget, type IngestWriter } from '../src/store/index.js';
import { note, report, round } from './lib.js';

const DAYS = 9;
const ROWS_PER_DAY = 25_000;
const CHUNK_BYTES = 65_536;

async function ingestDay(writer: IngestWriter, target: IngestTarget, name: string, bytes: Uint8Array): Promise<number> {
  const parser = createDeathLogParser({ file: name });
  let rows = 0;
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    const end = Math.min(offset + CHUNK_BYTES, bytes.length);
    const batch = parser.push(bytes.subarray(offset, end));
    rows += batch.rows;
    const cursor = { file: name, offset: end, size: bytes.length, head: '', carry: parser.carry(), nextLine: parser.nextLine };
    await writer.add(target, { summary: summarize(batch), cursors: [cursor], recentEvents: toRecentEvents(name, batch.events, 20) });
  }
  return rows;
}

const mongo = await startDevMongo();
const logger = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
const store = await openStore({ uri: mongo.uri, dbName: 'bench_round_trips', secretsKey: parseSecretsKey('22'.repeat(32)), logger });
const guild = store.guild('112233445566778899');
const server = await guild.servers.add({ name: 'Bench', host: 'h', username: 'u', password: 'p' });
const target = await guild.ingest.target(server.id);
const writer = createIngestWriter(store, { logger });
const days = generateDeathLogHistory({ seed: 1, days: DAYS, rowsPerDay: ROWS_PER_DAY }).map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));

note(`warm-up: ${days[0]?.name}`);
await ingestDay(writer, target, days[0]?.name ?? '', days[0]?.bytes ?? new Uint8Array());
await writer.flush();
const before = mongo.stats();
const start = performance.now();
let rows = 0;
for (const day of days.slice(1)) {
  rows += await ingestDay(writer, target, day.name, day.bytes);
  note(`${day.name}: ${rows} rows, ${mongo.stats().messages - before.messages} round trips so far`);
}
await writer.flush();
const seconds = (performance.now() - start) / 1000;
const after = mongo.stats();
const roundTrips = after.messages - before.messages;
const commands = Object.fromEntries(Object.entries(after.commands).map(([k, v]) => [k, v - (before.commands[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
note(`commands during the measured run: ${JSON.stringify(commands)}`);
await writer.close();
await store.close();
await mongo.close();

const perTenK = round((roundTrips / rows) * 10_000, 3);
report('store-round-trips', {
  rows,
  round_trips: roundTrips,
  round_trips_per_10k_rows: perTenK,
  rows_per_s: Math.round(rows / seconds),
  flush_rows: 25_000,
  target_met: perTenK <= 3,
});
