import { seededRandom } from './random.js';
import { deathFields, makePlayers, pick, stamp, type Player } from './deaths.js';

/**
 * A seeded generator of realistic death-log history (whole days), for benchmarks and load tests;
 * rows look like a real server's (deaths.ts). A server being played now: live-server.ts.
 */
export interface GeneratedDay {
  /** `YYYY.MM.DD-HH.MM.SS.csv`, as servers name them. */
  name: string;
  text: string;
  rows: number;
}

export interface GenerateOptions {
  seed: number;
  days: number;
  rowsPerDay: number;
  /** Distinct players on the server (default 300). */
  players?: number;
  /** 7 (old), 9 (with platforms) or 'mixed' (the first half of the days old, then new). Default 9. */
  format?: 7 | 9 | 'mixed';
  /** First day, `YYYY-MM-DD` (default 2025-05-01). */
  startDate?: string;
}

/** Generates `days` daily files of `rowsPerDay` rows each, oldest first. Same options, same bytes. */
export function generateDeathLogHistory(options: GenerateOptions): GeneratedDay[] {
  const rand = seededRandom(options.seed);
  const roster = makePlayers(rand, options.players ?? 300);
  const start = Date.parse(`${options.startDate ?? '2025-05-01'}T00:00:00Z`);
  if (Number.isNaN(start)) throw new Error(`startDate "${options.startDate}" is not a date written as YYYY-MM-DD`);
  const out: GeneratedDay[] = [];
  for (let d = 0; d < options.days; d += 1) {
    const format = options.format === 'mixed' ? (d < options.days / 2 ? 7 : 9) : (options.format ?? 9);
    const dayStart = start + d * 86_400_000;
    out.push({ name: `${stamp(dayStart)}.csv`, text: makeDay(rand, roster, dayStart, options.rowsPerDay, format), rows: options.rowsPerDay });
  }
  return out;
}

function makeDay(rand: () => number, roster: readonly Player[], dayStart: number, rows: number, format: 7 | 9): string {
  const lines: string[] = [];
  const step = 86_400_000 / Math.max(rows, 1);
  for (let i = 0; i < rows; i += 1) {
    const time = stamp(dayStart + Math.floor(i * step + rand() * step * 0.9));
    const fields = [time, ...deathFields(rand, roster, pick(rand, roster), format)];
    lines.push(`${fields.join(';')};\n`);
  }
  return lines.join('');
}
