/** A small seeded PRNG (mulberry32): the same seed gives the same logs on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from weighted choices with one random draw. */
export function weightedPicker<T>(choices: readonly (readonly [T, number])[]): (r: number) => T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  const cumulative = choices.map(([, w]) => w / total).map((_, i, arr) => arr.slice(0, i + 1).reduce((a, b) => a + b, 0));
  return (r) => {
    const i = cumulative.findIndex((c) => r < c);
    const choice = choices[i < 0 ? choices.length - 1 : i];
    if (!choice) throw new Error('weightedPicker needs at least one choice');
    return choice[0];
  };
}
