import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSummaries, type StatsSummary } from '../../parsers/index.js';
import { fixturesDir, makePool } from './helpers.js';

const { pool } = makePool();
afterAll(() => pool.shutdown({ deadlineMs: 1000 }));

const realFiles = ['csv-7col/2025.03.27-00.00.00.csv', 'csv-7col/2025.04.10-00.00.00.csv', 'csv-9col/2025.05.01-00.00.00.csv', 'csv-9col/2025.05.15-00.00.00.csv'];

function bytesOf(path: string): Uint8Array {
  const buffer = readFileSync(join(fixturesDir(), path));
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

describe('submit and await', () => {
  it('GIVEN a worker task THEN run resolves with its typed result and the task is remembered with its id, label, key, priority and metadata', async () => {
    const handle = pool.submit('ping', 41, { label: 'health check', key: 'guild-1', priority: 'HIGH', meta: { by: 'admin' } });
    await expect(handle.result).resolves.toEqual({ pong: 41 });
    const seen = pool.get(handle.id);
    expect(seen).toMatchObject({ id: handle.id, kind: 'cpu', task: 'ping', label: 'health check', key: 'guild-1', priority: 'HIGH', meta: { by: 'admin' }, state: 'COMPLETED', resultSummary: '{pong}' });
    expect(seen?.workerId).toEqual(expect.any(Number));
    expect(Date.parse(seen?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(seen?.startedAt ?? ''));
  });

  it('GIVEN fire-and-forget submissions THEN each can be looked up by id while queued, running and after', async () => {
    const handles = [1, 2, 3].map((n) => pool.submit('sleep', 30 * n));
    const states = handles.map((h) => pool.get(h.id)?.state);
    expect(states.every((s) => s === 'QUEUED' || s === 'RUNNING')).toBe(true);
    await Promise.all(handles.map((h) => h.result));
    expect(handles.map((h) => pool.get(h.id)?.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(pool.get(999_999)).toBeUndefined();
  });

  it('GIVEN a failing fire-and-forget task nobody awaits THEN no unhandled rejection escapes and its error is kept', async () => {
    const handle = pool.submit('throw', 'nobody listens');
    await expect(handle.result).rejects.toThrow('nobody listens');
    expect(pool.get(handle.id)?.error).toEqual({ message: 'nobody listens', kind: 'TypeError' });
  });
});

describe('parse-death-log in a worker', () => {
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
});
