import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runStepsYielding } from '../../src/store/steps.js';

/** Keeps the thread busy for `ms`, as a slow fold step would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* a step's work */ }
}

describe('stepped main-thread work', () => {
  it('GIVEN stepped work started from an I/O callback (a worker reply, a socket read) WHEN a step runs past its slice THEN due timers run before the next step', async () => {
    // Resuming after a file read puts us where a worker's reply would: in the loop's I/O phase.
    await readFile(import.meta.filename);
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    function* steps(): Generator<void, string> {
      for (let i = 1; i <= 3; i += 1) {
        order.push(`step ${i}`);
        busy(10);
        yield;
      }
      return 'done';
    }
    expect(await runStepsYielding(steps())).toBe('done');
    expect(order).toEqual(['step 1', 'timer', 'step 2', 'step 3']);
  });
});
