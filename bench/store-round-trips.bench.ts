/**
 * The store's write cost alone: a generated 1M-row history (10 days x 100,000 rows, 2,000 players)
 * is parsed into chunk summaries first (killer-victim pairs packed per player-day, as a history
 * run's workers return them), outside the timed part, then the timed part feeds them to
 * the ingest writer and waits until everything is durable in
 * dev-mongo (in process, as by default). Reports rows/s of store ingest, round trips per 10,000
 * rows (messages dev-mongo received, heartbeats included, so the figure errs high; target: at most 3)
 * and the update statements (upserts) the run needed. A small warm-up history goes first, to another
 * server, so connection set-up, index creation and JIT warm-up are not counted.
 */
import { createDeathLogParser, packSummary, summarize } from '../parsers/index.js';
import { startDevMongo } from '../src/dev-mongo/index.js';
import { generateDeathLogHistory } from '../src/generator/death-log.js';
import { createLogger } from '../src/logging/logger.js';
import { createIngestWriter, openStore, parseSecretsKey, toRecentEvents, type IngestTarget, type IngestWork, type IngestWriter } from '../src/store/index.js';
import { note, report, round } from './lib.js';

const DAYS = 10;
const ROWS_PER_DAY = 100_000;
const PLAYERS = 2_000;
const CHUNK_BYTES = 1 << 20;
const FLUSH_ROWS = 500_000;
const TARGET_ROWS_PER_S = 300_000;

/** Parses a history into the work items a history run hands the writer: one per chunk of a file. */
function parseHistory(seed: number, days: number, rowsPerDay: number): IngestWork[] {
  const work: IngestWork[] = [];
  for (const day of generateDeathLogHistory({ seed, days, rowsPerDay, players: PLAYERS })) {
    const bytes = Buffer.from(day.text);
    const parser = createDeathLogParser({ file: day.name });
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      const end = Math.min(offset + CHUNK_BYTES, bytes.length);
      const batch = parser.push(bytes.subarray(offset, end));
      // Players, days and pairs packed, as a history run's workers return them.
      const { totals, firstTime, lastTime, ...rest } = summarize(batch);
      const cursor = { file: day.name, offset: end, size: bytes.length, head: '', carry: parser.carry(), nextLine: parser.nextLine };
      work.push({
        summary: { totals, firstTime, lastTime, players: new Map(), days: new Map() }, packed: packSummary({ totals, firstTime, lastTime, ...rest }),
        cursors: [cursor], recentEvents: toRecentEvents(day.name, batch.events, 20),
      });
    }
  }
  return work;
}

async function ingest(writer: IngestWriter, target: IngestTarget, work: readonly IngestWork[]): Promise<number> {
  let rows = 0;
  for (const w of work) {
    await writer.add(target, w);
    rows += w.summary.totals.rows;
  }
  await writer.flush();
  return rows;
}

const mongo = await startDevMongo();
const logger = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
const store = await openStore({ uri: mongo.uri, dbName: 'bench_round_trips', secretsKey: parseSecretsKey('22'.repeat(32)), logger });
const guild = store.guild('112233445566778899');
const targetOf = async (name: string): Promise<IngestTarget> =>
  guild.ingest.target((await guild.servers.add({ name, host: 'h', username: 'u', password: 'p' })).id);
const writer = createIngestWriter(store, { flushRows: FLUSH_ROWS, logger });

note('warm-up: 2 days x 50,000 rows on another server');
await ingest(writer, await targetOf('Warm-up'), parseHistory(2, 2, 50_000));
note(`parsing ${DAYS} days x ${ROWS_PER_DAY} rows, ${PLAYERS} players (not timed)`);
const work = parseHistory(1, DAYS, ROWS_PER_DAY);
const target = await targetOf('Bench');
(globalThis as { gc?: () => void }).gc?.();

const before = mongo.stats();
const start = performance.now();
const rows = await ingest(writer, target, work);
const seconds = (performance.now() - start) / 1000;
const after = mongo.stats();
const delta = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
const roundTrips = after.messages - before.messages;
const statements = delta(after.statements, before.statements);
note(`${rows} rows in ${round(seconds, 2)} s; commands: ${JSON.stringify(delta(after.commands, before.commands))}; statements: ${JSON.stringify(statements)}`);
const totals = await guild.stats.totals(target.serverId);
if (totals.rows !== rows) throw new Error(`the store holds ${totals.rows} rows, ${rows} were fed`);
await writer.close();
await store.close();
await mongo.close();

const perTenK = round((roundTrips / rows) * 10_000, 3);
const rowsPerS = Math.round(rows / seconds);
report('store-round-trips', {
  rows,
  seconds: round(seconds, 2),
  rows_per_s: rowsPerS,
  target_rows_per_s: TARGET_ROWS_PER_S,
  rows_target_met: rowsPerS >= TARGET_ROWS_PER_S,
  round_trips: roundTrips,
  round_trips_per_10k_rows: perTenK,
  upserts: statements.update ?? 0,
  flush_rows: FLUSH_ROWS,
  target_met: perTenK <= 3,
});
