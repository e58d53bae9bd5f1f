import { StoreInputError } from './errors.js';

/** All time, or a window of whole UTC days ending today: day = today, week = last 7 days, month = last 30. */
export type Period = 'all' | 'day' | 'week' | 'month';

const DAYS: Record<Exclude<Period, 'all'>, number> = { day: 1, week: 7, month: 30 };
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of a time, the key of the per-day aggregates. */
export function dayKey(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The first day key inside the period, or null for all time. */
export function periodStart(period: Period, now: number): string | null {
  if (period === 'all') return null;
  const days = DAYS[period];
  if (days === undefined) throw new StoreInputError('The period must be one of: all, day, week, month.');
  return dayKey(now - (days - 1) * DAY_MS);
}
