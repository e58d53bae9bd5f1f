import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSummaries, type StatsSummary } from '../../parsers/index.js';
import { createLogger, LogSink } from '../../src/logging/logger.js';
import { createTaskPool } from '../../src/pool/index.js';
import { productionWorkerFile, type ProductionTasks } from '../../src/worker/index.js';
import { requireFixtures } from '../helpers/fixtures.js';

// The product's worker entry, as the composition root hands it to the pool.
const pool = createTaskPool<ProductionTasks>({ workerFile: productionWorkerFile(), minThreads: 1, maxThreads: 2 }, createLogger({ level: 'warn', pretty: false, destination: new LogSink() }));
afterAll(() => pool.shutdown({ deadlineMs: 1000 }));

const realFiles = ['csv-7col/2025.03.27-00.00.00.csv', 'csv-7col/2025.04.10-00.00.00.csv', 'csv-9col/2025.05.01-00.00.00.csv', 'csv-9col/2025.05.15-00.00.00.csv'];

function bytesOf(path: string): Uint8Array {
  const buffer = readFileSync(join(requireFixtures(), path));
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

describe('parse-death-log in the product worker', () => {
  it('GIVEN the four real death logs THEN the merged worker summaries match the reference figures', async () => {
    let total: StatsSummary | null = null;
    for (const file of realFiles) {
      const bytes = bytesOf(file);
      const out = await pool.run('parse-death-log', { file, bytes, final: true }, { transfer: [bytes] });
      expect(bytes.byteLength).toBe(0);
      total = total === null ? out.summary : mergeSummaries(total, out.summary);
    }
    expect(total?.totals).toMatchObject({ rows: 2130, kills: 1549, environment: 5, suicides: 576, relocations: 448, falls: 111, malformed: 0 });
    expect(total?.players.size).toBe(557);
  });

  it('GIVEN a file split mid-row THEN the carry and line number continue it exactly, and malformed rows come back capped with the full count', async () => {
    const whole = bytesOf('csv-7col/2025.03.27-00.00.00.csv');
    const cut = Math.floor(whole.length / 2) + 7;
    const first = await pool.run('parse-death-log', { file: 'a.csv', bytes: whole.slice(0, cut), final: false });
    expect(first.carry.length).toBeGreaterThan(0);
    const second = await pool.run('parse-death-log', { file: 'a.csv', bytes: whole.slice(cut), carry: first.carry, nextLine: first.nextLine, final: true, includeEvents: true, maxEvents: 10 });
    expect(first.rows + second.rows).toBe(1112);
    expect(second.events).toHaveLength(10);
    expect(second.eventsOmitted).toBe(second.rows - 10);
    expect(second.carry.length).toBe(0);

    const junk = new TextEncoder().encode(Array.from({ length: 150 }, (_, i) => `bad;row;${i}`).join('\n') + '\n');
    const bad = await pool.run('parse-death-log', { file: 'junk.csv', bytes: junk, final: true });
    expect(bad.malformedCount).toBe(150);
    expect(bad.malformed).toHaveLength(100);
    expect(bad.malformed[0]).toMatchObject({ file: 'junk.csv', line: 1 });
    expect(bad.summary.totals.malformed).toBe(150);
  });

  it('GIVEN a task name the product worker does not have THEN the error names the tasks it has', async () => {
    const error = await pool.run('ping' as 'parse-death-log', null as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unknown-task', message: expect.stringContaining('parse-death-log, parse-server-log') });
  });
});
