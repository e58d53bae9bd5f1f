/**
 * A timer that should fire every `intervalMs` and records how late each firing is: what a user feels
 * as a slow answer. The benchmarks' measure of main-thread lateness (the pool reads Node's own
 * histogram instead, see src/pool/event-loop.ts).
 */
export class LatenessProbe {
  private readonly lateness: number[] = [];
  /** When each late firing was due (performance.now()), to line the worst ones up with GC or other work. */
  private readonly dueAt: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private expected = 0;

  constructor(private readonly intervalMs = 5) {}

  start(): void {
    this.expected = performance.now() + this.intervalMs;
    const tick = () => {
      const now = performance.now();
      this.lateness.push(Math.max(0, now - this.expected));
      this.dueAt.push(this.expected);
      this.expected = now + this.intervalMs;
      this.timer = setTimeout(tick, this.intervalMs);
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  /** Stops and returns the lateness of every firing, in ms. */
  stop(): { samples: number; maxMs: number; p99Ms: number; meanMs: number } {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const sorted = [...this.lateness].sort((a, b) => a - b);
    const n = sorted.length;
    const p99 = n === 0 ? 0 : (sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)] ?? 0);
    const mean = n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n;
    return { samples: n, maxMs: round(sorted[n - 1] ?? 0), p99Ms: round(p99), meanMs: round(mean) };
  }

  /** The `count` firings that ran latest, worst first: when each was due (performance.now()) and how late it ran, in ms. */
  worst(count: number): { dueAtMs: number; lateMs: number }[] {
    const order = this.lateness.map((_, i) => i).sort((a, b) => (this.lateness[b] ?? 0) - (this.lateness[a] ?? 0));
    return order.slice(0, count).map((i) => ({ dueAtMs: round(this.dueAt[i] ?? 0), lateMs: round(this.lateness[i] ?? 0) }));
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
