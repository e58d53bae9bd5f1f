/** The last `capacity` duration samples, for percentiles. A typed array: no allocation per sample. */
export class SampleRing {
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;
  private maxSeen = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  add(value: number): void {
    this.values[this.next] = value;
    this.next = this.next + 1 === this.values.length ? 0 : this.next + 1;
    if (this.count < this.values.length) this.count += 1;
    if (value > this.maxSeen) this.maxSeen = value;
  }

  /** Nearest-rank p50/p95/p99 over the kept samples, the all-time max, and the sample count. */
  summary(): DurationSummary {
    const sorted = this.values.slice(0, this.count).sort();
    const at = (p: number) => round(sorted[Math.min(this.count - 1, Math.max(0, Math.ceil(p * this.count) - 1))] ?? 0);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(this.maxSeen), samples: this.count };
  }
}

/** Percentiles of a duration, in milliseconds. */
export interface DurationSummary {
  p50: number;
  p95: number;
  p99: number;
  /** The largest ever seen (not only among kept samples). */
  max: number;
  /** How many recent samples the percentiles are over. */
  samples: number;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
