/**
 * Priority under load: 1,000 bulk LOW tasks queued (each a death-log slice of 2,000 rows, a few ms of
 * real CPU), and meanwhile HIGH tasks (a one-row parse) submitted every 10 ms. Figure: the HIGH
 * tasks' wait (submission to getting a thread), target p99 < 10 ms; the round trip to the result is
 * printed too.
 */
import { createLogger } from '../src/logging/logger.js';
import { createTaskPool } from '../src/pool/index.js';
import { productionWorkerFile, type ProductionTasks } from '../src/worker/index.js';
import { note, percentile, report, round } from './lib.js';

const BULK = 1_000;
const INTERACTIVE = 200;
const row = '2025.05.15-01.02.03;Alpha;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;Bravo;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;AK-47;120;\n';
const bytes = new TextEncoder().encode(row.repeat(2_000));
const oneRow = (): ProductionTasks['parse-death-log']['input'] => ({ file: 'stats.csv', bytes: new TextEncoder().encode(row), final: true });

const pool = createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: 2, maxThreads: 2, interactiveShare: 0.25 }, createLogger({ level: 'warn', pretty: false }));
await Promise.all([pool.run('parse-death-log', oneRow()), pool.run('parse-death-log', oneRow())]);

const bulk = Array.from({ length: BULK }, (_, i) => pool.submit('parse-death-log', { file: `day-${i}.csv`, bytes: bytes.slice(), final: true }, { priority: 'LOW', label: 'history' }));
note(`queued ${BULK} LOW parse tasks (${bytes.length} bytes each); queue depth ${pool.stats().queue.depth}`);

const waits: number[] = [];
const roundTrips: number[] = [];
for (let i = 0; i < INTERACTIVE; i += 1) {
  const submitted = performance.now();
  const handle = pool.submit('parse-death-log', oneRow(), { priority: 'HIGH', label: '/stats' });
  await handle.result;
  roundTrips.push(performance.now() - submitted);
  waits.push(pool.get(handle.id)?.waitMs ?? Number.NaN);
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const lowStillQueued = pool.stats().queue.byPriority.LOW;
note(`HIGH tasks done; LOW still queued: ${lowStillQueued}`);
await Promise.all(bulk.map((h) => h.result));
const lowWaits = bulk.map((h) => pool.get(h.id)?.waitMs ?? 0);
await pool.shutdown({ deadlineMs: 1_000 });

const p99 = percentile(waits, 99);
report('priority', {
  bulk_low_tasks: BULK,
  high_tasks: INTERACTIVE,
  low_still_queued_when_high_done: lowStillQueued,
  high_wait_p50_ms: round(percentile(waits, 50), 3),
  high_wait_p99_ms: round(p99, 3),
  high_wait_max_ms: round(Math.max(...waits), 3),
  high_round_trip_p99_ms: round(percentile(roundTrips, 99), 3),
  low_wait_max_ms: round(Math.max(...lowWaits), 1),
  target_p99_ms: 10,
  target_met: p99 < 10,
});
