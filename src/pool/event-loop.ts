import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay in milliseconds. */
export interface EventLoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

/**
 * Node's own event-loop delay histogram (libuv timer based, cheap). `read()` reports since the last
 * `reset()` (or the start), so a caller can report per interval.
 */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;

  constructor(resolutionMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
  }

  read(): EventLoopDelay {
    const h = this.histogram;
    if (h.count === 0) return { maxMs: 0, p99Ms: 0, meanMs: 0 };
    return { maxMs: nsToMs(h.max), p99Ms: nsToMs(h.percentile(99)), meanMs: nsToMs(h.mean) };
  }

  reset(): void {
    this.histogram.reset();
  }

  stop(): void {
    this.histogram.disable();
  }
}

function nsToMs(ns: number): number {
  return round(ns / 1e6);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
