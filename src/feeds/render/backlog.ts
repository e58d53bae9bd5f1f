import { clockTimeUtc } from './time.js';

/** What a channel that fell far behind missed, summarised. */
export interface BacklogCounts {
  /** Killfeed rows left out (kills, suicides and environment deaths). */
  deaths: number;
  /** Connection and event notices left out. */
  announcements: number;
}

/**
 * One line for the items a channel skipped: `+37 more kills since 20:14 UTC`, or with notices
 * `+37 more kills and 4 server notices since 20:14 UTC`. Plain text, so it reads right wherever
 * it goes (content, title or footer). `since` is the first skipped item's time (UTC ms).
 */
export function backlogSummary(counts: BacklogCounts, since: number): string {
  const parts = [
    counts.deaths > 0 ? plural(counts.deaths, 'kill') : '',
    counts.announcements > 0 ? plural(counts.announcements, 'server notice') : '',
  ].filter((p) => p !== '');
  const when = `since ${clockTimeUtc(since)}`;
  // "more" once, after the first number: "+37 more kills and 4 server notices".
  return parts.length === 0 ? `Nothing more ${when}` : `+${parts.join(' and ').replace(' ', ' more ')} ${when}`;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
