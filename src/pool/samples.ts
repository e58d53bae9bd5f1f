import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** How long one window of durations lasts: figures cover the window before plus the current one. */
export const DURATION_WINDOW_MS = 5 * 60_000;

/**
 * Recent durations, for percentiles: Node's HDR histograms (fixed memory, an O(1) record, no sort
 * when stats are read), in microseconds since they record whole numbers. Two windows, the current
 * one and the one before, swapped every `windowMs`, so the figures cover the last one to two windows:
 * with one histogram since start, a bad minute after a week of good ones would barely move p99.
 */
export class DurationHistogram {
  private current: RecordableHistogram = createHistogram();
  private previous: RecordableHistogram = createHistogram();
  private windowEnd: number;

  constructor(
    private readonly windowMs = DURATION_WINDOW_MS,
    /** A clock in milliseconds (tests pass their own). */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windowEnd = now() + windowMs;
  }

  add(ms: number): void {
    this.rotate();
    this.current.record(Math.max(1, Math.round(ms * 1000)));
  }

  /** p50/p95/p99, the largest, and how many durations they are over. */
  summary(): DurationSummary {
    this.rotate();
    const h = createHistogram();
    h.add(this.previous);
    h.add(this.current);
    if (h.count === 0) return { p50: 0, p95: 0, p99: 0, max: 0, samples: 0 };
    const ms = (us: number) => Math.round(us) / 1000;
    return { p50: ms(h.percentile(50)), p95: ms(h.percentile(95)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count };
  }

  private rotate(): void {
    const now = this.now();
    if (now < this.windowEnd) return;
    const emptied = this.previous;
    emptied.reset();
    // Past a whole window more, what the current window holds is older than the figures should reach.
    if (now >= this.windowEnd + this.windowMs) this.current.reset();
    this.previous = this.current;
    this.current = emptied;
    // Whole windows on from the last end, not from now: a rotation made late (the pool was idle)
    // must not stretch the figures past two windows back.
    this.windowEnd += this.windowMs * (Math.floor((now - this.windowEnd) / this.windowMs) + 1);
  }
}

/**
 * Percentiles of a duration, in milliseconds, over the tasks finished in the last 5 to 10 minutes
 * (the current window of {@link DURATION_WINDOW_MS} and the one before).
 */
export interface DurationSummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** How many durations the figures are over. */
  samples: number;
}
