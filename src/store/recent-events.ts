import type { DeathEvent } from '../../parsers/index.js';
import type { RecentEvent } from './ingest-target.js';

/** The last `keep` events of a parsed chunk of `file`, in the shape the recent-events list stores. */
export function toRecentEvents(file: string, events: readonly DeathEvent[], keep = 50): RecentEvent[] {
  return events.slice(-keep).map((e) => ({
    file, line: e.line, time: e.time, kind: e.suicideCause ? `suicide:${e.suicideCause}` : e.kind,
    killerId: e.killerId, killerName: e.killerName, victimId: e.victimId, victimName: e.victimName,
    weapon: e.weapon, distance: e.distance,
  }));
}
