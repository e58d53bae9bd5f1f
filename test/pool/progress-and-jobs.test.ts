import { afterAll, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../src/pool/index.js';
import { makePool } from './helpers.js';

const { pool } = makePool();
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

describe('progress', () => {
  it('GIVEN a worker task reporting progress THEN every report arrives in order and the last before the result', async () => {
    for (let round = 0; round < 5; round += 1) {
      const seen: number[] = [];
      const result = await pool.run('progress', 200, { onProgress: (p) => seen.push(p.rowsDone ?? -1) });
      expect(result).toBe(200);
      expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    }
  });

  it('GIVEN an I/O task reporting progress THEN the snapshot shows the latest progress', async () => {
    const seen: TaskProgress[] = [];
    const handle = pool.submitIo((ctx) => {
      ctx.progress({ filesDone: 1, filesTotal: 2 });
      ctx.progress({ filesDone: 2, filesTotal: 2 });
      return 'ok';
    }, { onProgress: (p) => seen.push(p) });
    await handle.result;
    expect(seen).toEqual([{ filesDone: 1, filesTotal: 2 }, { filesDone: 2, filesTotal: 2 }]);
    expect(pool.get(handle.id)?.progress).toEqual({ filesDone: 2, filesTotal: 2 });
  });
});

describe('a chained job', () => {
  it('GIVEN download on main, parse in a worker, write on main THEN it is one tracked task with a worker step', async () => {
    const written: number[] = [];
    const handle = pool.submitIo(async (ctx) => {
      const bytes = new Uint8Array([1, 2, 3, 4]);
      const sum = await ctx.cpu('byte-sum', bytes, { transfer: [bytes.buffer] });
      written.push(bytes.byteLength, sum);
      return sum * 2;
    }, { label: 'killfeed tick', key: 'server-a' });
    await expect(handle.result).resolves.toBe(20);
    // The bytes moved to the worker (none left here) and the sum came back.
    expect(written).toEqual([0, 10]);
    const seen = pool.get(handle.id);
    expect(seen).toMatchObject({ kind: 'io', label: 'killfeed tick', state: 'COMPLETED' });
    expect(seen?.steps).toEqual([expect.objectContaining({ task: 'byte-sum', state: 'COMPLETED', workerId: expect.any(Number) })]);
    expect(pool.stats().totals.submitted).toBe(pool.stats().totals.completed);
  });

  it('GIVEN a job whose worker step is stuck WHEN the job times out THEN the step is stopped too', async () => {
    const handle = pool.submitIo((ctx) => ctx.cpu('spin', 10_000), { timeoutMs: 150 });
    await expect(handle.result).rejects.toMatchObject({ kind: 'timed-out' });
    expect(pool.get(handle.id)?.steps[0]?.state).toBe('TIMED_OUT');
    await expect(pool.run('ping', 5)).resolves.toEqual({ pong: 5 });
    expect(pool.stats().running.cpu).toBe(0);
  });
});
