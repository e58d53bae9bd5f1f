import { describe, expect, it } from 'vitest';
import { EventLoopMonitor } from '../../src/pool/event-loop.js';
import { SystemHealthReader } from '../../src/pool/system-health.js';

/** Keeps the main thread busy for `ms`: what a user feels as a slow answer. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

describe('system health windows', () => {
  it('GIVEN several readers THEN none empties the event-loop figures for the others; a stall shows for one to two windows, then goes', async () => {
    let now = 0;
    const monitor = new EventLoopMonitor(10);
    const reader = new SystemHealthReader(monitor, () => now);
    try {
      await turn();
      block(120);
      await turn();
      const first = reader.read(0).eventLoopDelay.maxMs;
      expect(first).toBeGreaterThanOrEqual(100);
      now += 2_000;
      // The dashboard's sampler read it 2 s ago: /admin queue still sees the stall.
      expect(reader.read(0).eventLoopDelay.maxMs).toBe(first);
      now += 30_000;
      expect(reader.read(0).eventLoopDelay.maxMs).toBeGreaterThanOrEqual(100);
      now += 30_000;
      await turn();
      expect(reader.read(0).eventLoopDelay.maxMs).toBeLessThan(first);
    } finally {
      monitor.stop();
    }
  });
});
