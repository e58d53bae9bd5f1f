import type { BatchTally } from './batch-tally.js';
import type { FeedDraft, OutboxEntry } from './outbox.js';

/**
 * A batch's feed items with each kill's streak: the killer's current streak after the kill, by the
 * counting rules (a PvP kill adds one; any death or suicide of the player puts it back to zero),
 * starting from the streaks stored before the batch. Call it after `readStreakBases`: every player
 * whose first event in the batch is a kill then has `baseStreak`, which is all this needs.
 */
export function feedEntries(tally: BatchTally, drafts: readonly FeedDraft[]): OutboxEntry[] {
  const streaks = new Map<string, number>();
  return drafts.map((d): OutboxEntry => {
    if (d.purpose !== 'killfeed') return { purpose: d.purpose, serverName: d.serverName, item: { type: 'announcement', announcement: plain(d.announcement) } };
    const e = d.event;
    if (e.victimId !== '') streaks.set(e.victimId, 0);
    let killerStreak: number | null = null;
    if (e.kind === 'kill' && e.killerId !== '') {
      killerStreak = (streaks.get(e.killerId) ?? tally.players.get(e.killerId)?.baseStreak ?? 0) + 1;
      streaks.set(e.killerId, killerStreak);
    }
    return { purpose: 'killfeed', serverName: d.serverName, item: { type: 'death', event: plain(e), killerStreak } };
  });
}

/** Without `undefined` fields: the driver would store them as null, and the renderer reads absent ones. */
function plain<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
