import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Durations since the pool started, for percentiles: Node's HDR histogram (fixed memory, an O(1)
 * record, no sort when stats are read). Kept in microseconds, since it records whole numbers.
 */
export class DurationHistogram {
  private readonly histogram: RecordableHistogram = createHistogram();

  add(ms: number): void {
    this.histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  /** p50/p95/p99, the largest, and how many durations they are over. */
  summary(): DurationSummary {
    const h = this.histogram;
    if (h.count === 0) return { p50: 0, p95: 0, p99: 0, max: 0, samples: 0 };
    const ms = (us: number) => Math.round(us) / 1000;
    return { p50: ms(h.percentile(50)), p95: ms(h.percentile(95)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count };
  }
}

/** Percentiles of a duration, in milliseconds, over every task finished since the pool started. */
export interface DurationSummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** How many durations the figures are over. */
  samples: number;
}
