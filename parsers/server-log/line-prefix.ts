/**
 * The `[YYYY.MM.DD-HH.MM.SS:mmm][frame]` prefix of an Unreal log line, read once per line so that
 * the rules only ever see the message body.
 */

/** A line split into its optional stamp and its message body. */
export interface LinePrefix {
  /** UTC ms from the line's own timestamp, or null when it has none (or an impossible one). */
  time: number | null;
  /** The message after the prefix, e.g. `LogNet: Join request: ...`. */
  body: string;
}

// Frame numbers are right-aligned to three characters but grow past 999 on a long-running server.
const STAMPED = /^\[(\d{4})\.(\d{2})\.(\d{2})-(\d{2})\.(\d{2})\.(\d{2}):(\d{3})\]\[ *\d+\]/;
const FRAME_ONLY = /^\[ *\d+\]/;

/** Splits a line (already without its newline) into time and body. */
export function readLinePrefix(text: string): LinePrefix {
  // Cheap first-character check: most bodies never reach a regex.
  if (text.charCodeAt(0) !== 0x5b /* [ */) return { time: null, body: text };
  const stamped = STAMPED.exec(text);
  if (stamped !== null) {
    const [all, y, mo, d, h, mi, s, ms] = stamped;
    return { time: utcMs(+y!, +mo!, +d!, +h!, +mi!, +s!, +ms!), body: text.slice(all.length) };
  }
  const frame = FRAME_ONLY.exec(text);
  if (frame !== null) return { time: null, body: text.slice(frame[0].length) };
  return { time: null, body: text };
}

/**
 * UTC ms for a calendar date and time, or null when it is not a real one (month 13, 31 April...).
 * Deadside writes no zone; like the death log, it is read as UTC.
 */
export function utcMs(
  year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0,
): number | null {
  // Years before 1970 cannot be a server's clock, and Date.UTC would read 0-99 as 1900-1999.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 April over into 1 May; a real date survives the round trip.
  return new Date(time).getUTCDate() === day ? time : null;
}
