import type { DeathEvent, SuicideCause } from './types.js';

/** Why a row is malformed, in words an admin can act on; `null` when the row is well-formed. */
export type RowVerdict = { ok: true; event: DeathEvent } | { ok: false; reason: string };

const TIMESTAMP = /^(\d{4})\.(\d{2})\.(\d{2})-(\d{2})\.(\d{2})\.(\d{2})$/;
const DIGITS = /^\d+$/;

/** Weapon values that mark a suicide's sub-kind (docs/deadside-formats.md, rule 2). */
const SUICIDE_CAUSES: Readonly<Record<string, SuicideCause>> = {
  suicide_by_relocation: 'relocation',
  falling: 'fall',
};

/**
 * Reads a death-log timestamp `YYYY.MM.DD-HH.MM.SS` as UTC milliseconds, shifted by the server's
 * offset from UTC; `null` unless it is a real date and time (a 2025.02.30 or a 24:00 is not).
 */
export function parseDeathLogTime(text: string, utcOffsetMinutes = 0): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 02.30 over into March: a date that does not survive the round trip is not real.
  if (new Date(ms).getUTCDate() !== d) return null;
  return ms - utcOffsetMinutes * 60_000;
}

/**
 * Applies the counting rules to one row's fields (the trailing empty token already dropped).
 * Fields are `time;killerName;killerId;victimName;victimId;weapon;distance[;killerPlatform;victimPlatform]`.
 */
export function classifyRow(fields: readonly string[], line: number, clock: DeathLogClock): RowVerdict {
  if (fields.length !== 7 && fields.length !== 9) {
    return { ok: false, reason: `has ${fields.length} fields; a death-log row has 7 (old format) or 9 (with platforms)` };
  }
  const [stamp, killerName, killerId, victimName, victimId, weapon, distanceText] = fields as [string, string, string, string, string, string, string];
  const time = clock.read(stamp);
  if (time === null) return { ok: false, reason: `timestamp "${clip(stamp)}" is not a real date and time written as YYYY.MM.DD-HH.MM.SS` };
  if (!DIGITS.test(distanceText)) return { ok: false, reason: `distance "${clip(distanceText)}" is not a whole number of metres` };
  if (victimId === '') return { ok: false, reason: 'victim ID is empty' };

  const event: DeathEvent = {
    kind: 'kill', time, killerName, killerId, victimName, victimId, weapon, distance: Number(distanceText), line,
  };
  if (fields.length === 9) {
    event.killerPlatform = fields[7] ?? '';
    event.victimPlatform = fields[8] ?? '';
  }
  if (killerName === '' && killerId === '') event.kind = 'environment';
  else if (killerId === victimId) {
    event.kind = 'suicide';
    event.suicideCause = SUICIDE_CAUSES[weapon] ?? 'other';
  }
  return { ok: true, event };
}

/**
 * Reads row timestamps fast: a day's file repeats the same date on every row, so the date part is
 * validated once and remembered, and only the time of day is read per row.
 */
export class DeathLogClock {
  private lastDate = '';
  private lastDayStart: number | null = null;

  constructor(private readonly utcOffsetMinutes = 0) {}

  /** Same result as {@link parseDeathLogTime}. */
  read(stamp: string): number | null {
    if (stamp.length !== 19 || stamp.charCodeAt(10) !== 45 /* - */) return null;
    const date = stamp.slice(0, 10);
    if (date !== this.lastDate) {
      this.lastDate = date;
      this.lastDayStart = parseDeathLogTime(`${date}-00.00.00`, this.utcOffsetMinutes);
    }
    if (this.lastDayStart === null) return null;
    const h = twoDigits(stamp, 11);
    const m = twoDigits(stamp, 14);
    const s = twoDigits(stamp, 17);
    if (h > 23 || m > 59 || s > 59 || stamp.charCodeAt(13) !== 46 || stamp.charCodeAt(16) !== 46) return null;
    return this.lastDayStart + ((h * 60 + m) * 60 + s) * 1000;
  }
}

/** Two ASCII digits at `at` as a number, or 99 (out of every range) when either is not a digit. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : 99;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
