import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { makePool } from './helpers.js';

// A full, synchronous garbage collection on demand, without starting vitest's workers with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { pool } = makePool({ historySize: 10 });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

/** Runs a task that fails with a cause chain holding `payloadBytes`; returns its id and a weak reference to the payload. */
async function failWithHeavyCause(payloadBytes: number): Promise<{ id: number; payload: WeakRef<Uint8Array> }> {
  const payload = new Uint8Array(payloadBytes);
  const socket = Object.assign(new Error('socket hang up', { cause: { response: payload } }), { code: 'ECONNRESET' });
  const thrown = Object.assign(new Error('the batch could not be written', { cause: socket }), { kind: 'store-write' });
  const handle = pool.submitIo(() => { throw thrown; }, { label: 'write batch', key: 'server-a' });
  await handle.result.catch(() => undefined);
  return { id: handle.id, payload: new WeakRef(payload) };
}

describe('task history keeps what its views show, not the errors', () => {
  it('GIVEN a task failing with a cause chain THEN history shows its message, kind and the chain as one short line', async () => {
    const { id } = await failWithHeavyCause(16);
    expect(pool.get(id)?.error).toEqual({
      message: 'the batch could not be written',
      kind: 'store-write',
      cause: 'Error [ECONNRESET]: socket hang up <- (a Object)',
    });
    expect(pool.historyOf({ state: 'FAILED', label: 'write batch' })[0]?.error).toEqual(pool.get(id)?.error);
  });

  it('GIVEN a failed task in history THEN the large value its error\'s cause held is collected', async () => {
    const { id, payload } = await failWithHeavyCause(32 * 1024 * 1024);
    // A WeakRef's target stays alive until the current job ends: collect from a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    // Not `toBeUndefined()`: printing 32 MB of a failure takes minutes.
    expect(payload.deref() === undefined, 'the payload is still reachable').toBe(true);
    expect(pool.get(id)?.state).toBe('FAILED');
  });
});
