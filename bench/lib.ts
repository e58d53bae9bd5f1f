/**
 * Shared by every benchmark: progress goes to stderr, and the run ends with exactly one line of
 * JSON on stdout, `{"bench": "<name>", ...figures}`, units in the keys (`p99_ms`, `rows_per_s`, `ratio`).
 */
export function report(bench: string, figures: Record<string, number | string | boolean>): void {
  process.stdout.write(`${JSON.stringify({ bench, ...figures })}\n`);
}

export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Milliseconds since `start` (from `performance.now()`), rounded to 0.01 ms. */
export function elapsedMs(start: number): number {
  return round(performance.now() - start, 2);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
