/** Times as the feeds show them. */

/** The embed's timestamp (Discord shows it in each member's own time zone); none when the log gave no time. */
export function timestampOf(time: number | null): { timestamp?: string } {
  return time === null || !Number.isFinite(time) ? {} : { timestamp: new Date(time).toISOString() };
}

/**
 * `20:14 UTC`: for plain text, where Discord does not render its `<t:…>` timestamps (titles, footers).
 * Game servers write UTC, so the feed says so rather than guessing the reader's zone.
 */
export function clockTimeUtc(time: number): string {
  if (!Number.isFinite(time)) return 'an unknown time';
  const at = new Date(time);
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;
}
