import type { LineRule } from './line-rule.js';
import { utcMs } from './line-prefix.js';
import type {
  AirdropEvent, GameplayEventCategory, GameplayEventEvent, LogClosedEvent, LogOpenEvent,
  MaxPlayersEvent, MissionEvent, MissionNoise, MissionRespawnEvent, VehicleEvent,
} from './types.js';

/** Encounters and patrol points switch state all day long: flagged so nobody posts them. */
export function missionNoise(missionId: string): MissionNoise | null {
  if (/_Enc_/i.test(missionId)) return 'encounter';
  if (/patrol/i.test(missionId)) return 'patrol-point';
  return null;
}

function gameplayCategory(eventId: string): GameplayEventCategory {
  if (/HelicrashEvent/i.test(eventId)) return 'helicrash';
  if (/RoamingTraderEvent/i.test(eventId)) return 'roaming-trader';
  if (/ConvoyEvent/i.test(eventId)) return 'convoy';
  return 'other';
}

// `Log file open, MM/DD/YY HH:MM:SS`: no zone written; read as UTC like every other stamp.
const LOG_DATE = '(\\d{2})/(\\d{2})/(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})';

const logOpen: LineRule<LogOpenEvent> = {
  kind: 'log-open',
  pattern: new RegExp(`^Log file open, ${LOG_DATE}`),
  map(match, at) {
    const [, mo, d, y, h, mi, s] = match;
    const time = utcMs(2000 + Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
    // The line is its own stamp; an impossible date keeps the borrowed one.
    return time === null ? { kind: 'log-open', ...at } : { kind: 'log-open', ...at, time, timeInferred: false };
  },
};

const logClosed: LineRule<LogClosedEvent> = {
  kind: 'log-closed',
  pattern: /^Log file closed\b/,
  map: (_match, at) => ({ kind: 'log-closed', ...at }),
};

const maxPlayers: LineRule<MaxPlayersEvent> = {
  kind: 'max-players',
  pattern: /^(?:LogInit: )?Command Line:.*?-playersmaxcount=(\d{1,6})\b/i,
  map: (match, at) => ({ kind: 'max-players', ...at, maxPlayers: Number(match[1]) }),
};

const mission: LineRule<MissionEvent> = {
  kind: 'mission',
  pattern: /^LogSFPS: Mission (\S+) switched to (\S+)/,
  map: (match, at) => ({
    kind: 'mission', ...at, missionId: match[1]!, state: match[2]!, noise: missionNoise(match[1]!),
  }),
};

const missionRespawn: LineRule<MissionRespawnEvent> = {
  kind: 'mission-respawn',
  pattern: /^LogSFPS: Mission (\S+) will respawn in (\d{1,9})\b/,
  map: (match, at) => ({
    kind: 'mission-respawn', ...at, missionId: match[1]!, seconds: Number(match[2]), noise: missionNoise(match[1]!),
  }),
};

const airdrop: LineRule<AirdropEvent> = {
  kind: 'airdrop',
  pattern: /^LogSFPS: AirDrop switched to (\S+)/,
  map: (match, at) => ({ kind: 'airdrop', ...at, state: match[1]! }),
};

const gameplayEvent: LineRule<GameplayEventEvent> = {
  kind: 'gameplay-event',
  pattern: /^LogSFPS: GameplayEvent (\S+) switched to (\S+)/,
  map: (match, at) => ({
    kind: 'gameplay-event', ...at, eventId: match[1]!, category: gameplayCategory(match[1]!), state: match[2]!,
  }),
};

const vehicle: LineRule<VehicleEvent> = {
  kind: 'vehicle',
  pattern: /^(?:LogSFPS: )?\[ASFPSGameMode::NewVehicle_(Add|Del)\](?: (?:Add|Del) vehicle (\S+))?.*? Total (\d{1,9})\b/,
  map: (match, at) => ({
    kind: 'vehicle', ...at, change: match[1] === 'Add' ? 'added' : 'removed', vehicle: match[2] ?? null, total: Number(match[3]),
  }),
};

/** Rules for the server itself and the world: restarts, slots, missions, airdrops, events, vehicles. */
export const worldRules: readonly LineRule[] = [
  logOpen, logClosed, maxPlayers, mission, missionRespawn, airdrop, gameplayEvent, vehicle,
];
