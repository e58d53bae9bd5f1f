/**
 * The operators' mission level table, from `MISSION_LEVELS`: the log never says how hard a mission
 * is, so the events feed asks this table which READY missions are worth a post (level 3 and up).
 */
import { compileMissionLevels, DEFAULT_MISSION_LEVELS, type MissionLevelTable } from '../parsers/index.js';

/** What a good value looks like, for start-up errors and .env.example. */
export const MISSION_LEVELS_EXPECTED = 'comma-separated mission ids or * patterns with their level 1 to 10, e.g. GA_Military_*=3,GA_Airport_*=3,GA_Bunker_*=3 (READY missions of level 3 and up are posted)';

/** The default, written as the variable would be. */
export const DEFAULT_MISSION_LEVELS_TEXT = Object.entries(DEFAULT_MISSION_LEVELS).map(([id, level]) => `${id}=${level}`).join(',');

/**
 * `GA_Military_*=3, GA_Town_02_mis1=4` -> `{ 'GA_Military_*': 3, 'GA_Town_02_mis1': 4 }`. The table
 * replaces the default (so a level can be lowered too). Undefined for anything malformed.
 */
export function parseMissionLevels(raw: string): MissionLevelTable | undefined {
  const table: Record<string, number> = {};
  for (const entry of raw.split(',')) {
    const match = /^\s*([^=\s]+)\s*=\s*(\d{1,2})\s*$/.exec(entry);
    const level = Number(match?.[2]);
    if (!match?.[1] || !Number.isInteger(level) || level < 1 || level > 10) return undefined;
    table[match[1]] = level;
  }
  try {
    compileMissionLevels(table);
  } catch {
    return undefined;
  }
  return Object.freeze(table);
}
