/**
 * Mission levels. The log never says how hard a mission is (only `Mission <id> switched to READY`),
 * so levels come from an editable table: exact ids or `*` patterns, matched ignoring case
 * (servers write both `GA_Military_02_mis1` and `GA_Military_02_Mis1`).
 */

/** Mission id (or pattern with `*`) to level, e.g. `{ "GA_Military_*": 3 }`. */
export type MissionLevelTable = Readonly<Record<string, number>>;

/**
 * A starting point, not game data: the id families public Deadside bots rate as their hardest
 * (military bases, the airport, the bunker). Operators edit it per server.
 */
export const DEFAULT_MISSION_LEVELS: MissionLevelTable = Object.freeze({
  'GA_Military_*': 3,
  'GA_Airport_*': 3,
  'GA_Bunker_*': 3,
});

/** Looks a mission id up in a compiled table; null when no entry matches. */
export type MissionLevelLookup = (missionId: string) => number | null;

interface Entry {
  pattern: RegExp;
  level: number;
  /** Exact ids win over patterns, and longer patterns over shorter ones. */
  weight: number;
}

function toEntry(key: string, level: number): Entry {
  if (key.trim() === '') throw new RangeError('A mission level table key is empty: use a mission id such as "GA_Military_02_mis1" or a pattern such as "GA_Military_*".');
  if (!Number.isFinite(level)) throw new RangeError(`Mission level for "${key}" must be a number such as 3 (got ${String(level)}).`);
  const source = key.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const exact = !key.includes('*');
  return { pattern: new RegExp(`^${source}$`, 'i'), level, weight: (exact ? 1_000_000 : 0) + key.length };
}

/** Compiles a level table once; throws a plain-worded RangeError naming a bad entry. */
export function compileMissionLevels(table: MissionLevelTable = DEFAULT_MISSION_LEVELS): MissionLevelLookup {
  const entries = Object.entries(table)
    .map(([key, level]) => toEntry(key, level))
    .sort((a, b) => b.weight - a.weight);
  return (missionId) => entries.find((entry) => entry.pattern.test(missionId))?.level ?? null;
}
