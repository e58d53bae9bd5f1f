import type { LineRule } from './line-rule.js';
import { readLinePrefix } from './line-prefix.js';
import { playerRules } from './player-rules.js';
import type { LineStamp, ServerLogEvent } from './types.js';
import { worldRules } from './world-rules.js';

/** Every rule, most frequent line kinds first (mission chatter outnumbers everything else). */
export const serverLogRules: readonly LineRule[] = [...worldRules, ...playerRules];

/** What one line gave: its event (null when no rule reads it) and the time to carry forward. */
export interface LineReading {
  event: ServerLogEvent | null;
  /** Nothing but spaces: not a line kind, not unknown either. */
  blank: boolean;
  /** The latest known time after this line, for the lines after it that carry none. */
  lastTime: number | null;
}

/**
 * Reads one line (without its newline; a leading BOM or trailing CR is removed here).
 * `lastTime` is the time of the latest stamped line before it.
 */
export function readServerLogLine(raw: string, line: number, lastTime: number | null): LineReading {
  let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (!/\S/.test(text)) return { event: null, blank: true, lastTime };
  const { time, body } = readLinePrefix(text);
  const at: LineStamp = time === null
    ? { line, time: lastTime, timeInferred: lastTime !== null }
    : { line, time, timeInferred: false };
  for (const rule of serverLogRules) {
    const match = rule.pattern.exec(body);
    if (match === null) continue;
    const event = rule.map(match, at);
    if (event === null) continue;
    // A line can carry its own date in its body (`Log file open, ...`): it then leads the clock.
    const next = event.timeInferred || event.time === null ? at.time : event.time;
    return { event, blank: false, lastTime: next ?? lastTime };
  }
  return { event: null, blank: false, lastTime: at.time ?? lastTime };
}
