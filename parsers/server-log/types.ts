/**
 * What the Deadside.log parser reads out of the server's Unreal Engine log. Line shapes and the
 * player life cycle are described in shared/docs/deadside-formats.md ("Deadside.log").
 */

/** Where and when a line was written. Shared by every event. */
export interface LineStamp {
  /** 1-based line number within the log file. */
  line: number;
  /**
   * UTC milliseconds. Taken from the line's own `[YYYY.MM.DD-HH.MM.SS:mmm]` prefix; a line without one
   * gets the last time seen before it (then `timeInferred` is true), or null when none was seen yet.
   */
  time: number | null;
  /** True when `time` was borrowed from an earlier line. */
  timeInferred: boolean;
}

/** Why the server dropped a player (which of the known "gone" lines said so). */
export type LeaveCause = 'channel-closed' | 'connection-cleanup' | 'unregistered' | 'timed-out';

/** Mission ids the server logs by the hundred and nobody wants posted. */
export type MissionNoise = 'encounter' | 'patrol-point';

/** Which world event a `GameplayEvent <id>` line is about, read from its id. */
export type GameplayEventCategory = 'helicrash' | 'roaming-trader' | 'convoy' | 'other';

/** The first line of a log: a new file, which means the server (re)started. */
export interface LogOpenEvent extends LineStamp { kind: 'log-open' }
/** `Log file closed, ...`: the server stopped cleanly. */
export interface LogClosedEvent extends LineStamp { kind: 'log-closed' }
/** The slot count from `-playersmaxcount=N` on the logged command line. */
export interface MaxPlayersEvent extends LineStamp { kind: 'max-players'; maxPlayers: number }

/** Step 1 of the life cycle: the player asked to join and is queued. */
export interface JoinRequestEvent extends LineStamp {
  kind: 'join-request';
  eosId: string;
  /** The `Name=` option, else `login=`; null when neither is there. */
  name: string | null;
  /** From `nativeplatform=`, else the part of `platformid=` before `:` (e.g. `PS5`, `XSX`). */
  platform: string | null;
}
/** Step 2: the player's beacon connected (still queued). */
export interface BeaconJoinEvent extends LineStamp { kind: 'beacon-join'; eosId: string }
/** Step 3: the player is in the game. */
export interface RegisteredEvent extends LineStamp { kind: 'registered'; eosId: string }
/** Step 4: the player's connection is gone (from the queue or from the game). */
export interface LeftEvent extends LineStamp { kind: 'left'; eosId: string; cause: LeaveCause }
/** Newer servers: `LogNet: Join succeeded: <name>` (keyed by name, not EOS id). */
export interface JoinSucceededEvent extends LineStamp { kind: 'join-succeeded'; name: string }
/** Newer servers: `Player ltEOS <name> has logged out by reason: <reason>`. */
export interface LoggedOutEvent extends LineStamp { kind: 'logged-out'; name: string; reason: string }

/** `Mission <id> switched to <STATE>` (INITIAL, WAITING, READY, IN_PROGRESS, COMPLETED...). */
export interface MissionEvent extends LineStamp {
  kind: 'mission';
  missionId: string;
  state: string;
  noise: MissionNoise | null;
}
/** `Mission <id> will respawn in <seconds>`. */
export interface MissionRespawnEvent extends LineStamp {
  kind: 'mission-respawn';
  missionId: string;
  seconds: number;
  noise: MissionNoise | null;
}
/** `AirDrop switched to <Flying|Dropping|Dead>`. */
export interface AirdropEvent extends LineStamp { kind: 'airdrop'; state: string }
/** `GameplayEvent <id> switched to <STATE>`: helicrash, roaming trader, convoy. */
export interface GameplayEventEvent extends LineStamp {
  kind: 'gameplay-event';
  eventId: string;
  category: GameplayEventCategory;
  state: string;
}
/** `[ASFPSGameMode::NewVehicle_Add|Del] ... Total N`. */
export interface VehicleEvent extends LineStamp {
  kind: 'vehicle';
  change: 'added' | 'removed';
  /** The vehicle's class and instance name when the line gives one. */
  vehicle: string | null;
  /** Vehicles in the world after the change. */
  total: number;
}

/** Everything the parser reads out of Deadside.log. Switch on `kind`. */
export type ServerLogEvent =
  | LogOpenEvent | LogClosedEvent | MaxPlayersEvent
  | JoinRequestEvent | BeaconJoinEvent | RegisteredEvent | LeftEvent
  | JoinSucceededEvent | LoggedOutEvent
  | MissionEvent | MissionRespawnEvent | AirdropEvent | GameplayEventEvent | VehicleEvent;

/** Line counts of one batch. `lines` = events + unknown + blank + oversized. */
export interface ServerLogCounts {
  lines: number;
  events: number;
  /** Lines no rule reads. Normal: most of an Unreal log is engine chatter. */
  unknown: number;
  blank: number;
  /** Lines of 64 KiB or more (`MAX_LINE_BYTES`): skipped unread (no real log line is that long). */
  oversized: number;
}

/** An unread line kept for diagnostics: where it is and how it starts. */
export interface UnknownLine {
  line: number;
  /** At most 160 characters of the line, prefix included. */
  excerpt: string;
}

/** What one `push` (or one whole parse) yields. */
export interface ServerLogBatch {
  events: ServerLogEvent[];
  counts: ServerLogCounts;
  /** The first few unknown lines of the batch (capped), for an admin to look at. */
  unknownSample: UnknownLine[];
}
