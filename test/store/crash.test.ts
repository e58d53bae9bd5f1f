import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { seededRandom } from '../../src/generator/random.js';
import { referenceSummary } from './feed.js';
import { startTestDatabase, type TestDatabase } from './helpers.js';
import { expectedPlayers, statsSnapshot, storedPlayers } from './snapshot.js';

const script = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
/** Small, so that a day spans more batches than a day document keeps segments: merges happen, and kills land around them too. */
const FLUSH_ROWS = '1000';
const CHUNK_BYTES = '16384';
/** Small, so that every batch's pending record goes out in parts and kills land between them too. */
const PART_BYTES = '8192';
const KILLS = 10;

interface Run { code: number | null; signal: NodeJS.Signals | null; chunks: number; recovered: number; stderr: string }

/** Runs the writer; when `killAfter` is set, SIGKILLs it that many chunks in, plus a few random ms. */
function runWriter(uri: string, dbName: string, folder: string, killAfter: number | null, jitterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, uri, dbName, folder, FLUSH_ROWS, CHUNK_BYTES, PART_BYTES], { stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { code: null, signal: null, chunks: 0, recovered: 0, stderr: '' };
    let pending = '';
    child.stdout.on('data', (data: Buffer) => {
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('chunk ')) continue;
        run.chunks += 1;
        if (killAfter !== null && run.chunks === killAfter) setTimeout(() => child.kill('SIGKILL'), jitterMs);
      }
    });
    child.stderr.on('data', (data: Buffer) => { run.stderr += data.toString(); });
    child.on('error', reject);
    // The writer logs each batch a killed run left pending as it finishes it.
    child.on('exit', (code, signal) => resolve({ ...run, code, signal, recovered: run.stderr.split('finishing a batch left pending').length - 1 }));
  });
}

describe('crash safety', () => {
  let db: TestDatabase;
  let folder: string;
  const days = generateDeathLogHistory({ seed: 42, days: 4, rowsPerDay: 25_000, players: 60, format: 'mixed' });
  beforeAll(async () => {
    db = await startTestDatabase('crash');
    folder = mkdtempSync(join(tmpdir(), 'killfeed-crash-'));
    for (const d of days) writeFileSync(join(folder, d.name), d.text);
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await db.dispose();
  });

  it(`GIVEN a writer SIGKILLed ${KILLS} times at random moments THEN its stats equal an uninterrupted run exactly`, async () => {
    const calm = db.another('calm');
    const uninterrupted = await runWriter(db.uri, calm, folder, null, 0);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const totalChunks = uninterrupted.chunks;

    const rand = seededRandom(2024);
    let kills = 0;
    let recovered = 0;
    for (let attempt = 0; attempt < KILLS + 5; attempt += 1) {
      // Past the chunks the writer takes in before its first batch is durable, so kills land while batches are written.
      const killAfter = kills < KILLS ? 25 + Math.floor(rand() * (totalChunks / (KILLS + 1))) : null;
      const run = await runWriter(db.uri, db.dbName, folder, killAfter, Math.floor(rand() * 150));
      recovered += run.recovered;
      if (run.signal === 'SIGKILL') { kills += 1; continue; }
      expect(run.code, run.stderr).toBe(0);
      if (kills >= KILLS) break;
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(await statsSnapshot(db.uri, db.dbName)).toEqual(await statsSnapshot(db.uri, calm));
    const files = days.map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));
    expect(await storedPlayers(db.uri, db.dbName)).toEqual(expectedPlayers(referenceSummary(files)));
    // Informational: how many restarts found a batch half-written (killed between record and advance).
    process.stderr.write(`crash test: ${kills} kills, ${recovered} pending batches finished on restart\n`);
  }, 120_000);
});
