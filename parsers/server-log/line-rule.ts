import type { LineStamp, ServerLogEvent } from './types.js';

/**
 * One kind of log line: a pattern tried on the message body (the `[time][frame]` prefix already
 * removed) and a mapper from the match to an event. The mapper returns null when the match lacks
 * what the event needs (an EOS id that is not hex, say); the line then counts as unknown.
 */
export interface LineRule<E extends ServerLogEvent = ServerLogEvent> {
  kind: E['kind'];
  pattern: RegExp;
  map(match: RegExpExecArray, at: LineStamp): E | null;
}

/** EOS ids are hex; the log writes them after `|` (`EOS:|<id>`, `Player |<id>`). Stored lowercase. */
export const EOS_ID = '([0-9A-Fa-f]{8,64})';

/** The EOS id as stored everywhere: lowercase, like the death log writes it. */
export function normalizeEosId(raw: string): string {
  return raw.toLowerCase();
}
