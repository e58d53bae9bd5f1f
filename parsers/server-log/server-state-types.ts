import type { GameplayEventCategory, LeaveCause } from './types.js';

/** Where a player is in the life cycle. Gone players are not kept. */
export type PresenceStatus = 'queued' | 'online';

/** A player the server knows about right now. */
export interface PlayerPresence {
  /** Null for a player known only by name (newer servers' `Join succeeded: <name>`). */
  eosId: string | null;
  name: string | null;
  platform: string | null;
  status: PresenceStatus;
  /** When the player entered `status` (UTC ms), when the log said. */
  since: number | null;
}

/** What the bot knows about one game server from its Deadside.log. Never mutated: apply returns a new one. */
export interface ServerState {
  /** Queued and online players, keyed by EOS id (or `name:<name>` for name-only players). */
  players: ReadonlyMap<string, PlayerPresence>;
  /** From `-playersmaxcount=N`; kept across restarts until the new command line says otherwise. */
  maxPlayers: number | null;
  vehiclesTotal: number | null;
  /** Last state of each mission seen since the server started. */
  missions: ReadonlyMap<string, string>;
  airdrop: string | null;
  /** Last state of each helicrash / roaming trader / convoy / other gameplay event. */
  gameplayEvents: ReadonlyMap<string, string>;
  /** Time of the latest event applied (UTC ms). */
  lastTime: number | null;
}

interface Stamp {
  line: number;
  time: number | null;
}

/** Something worth a Discord post. */
export type ServerAnnouncement =
  | (Stamp & { kind: 'player-joined'; player: PlayerPresence })
  | (Stamp & {
    kind: 'player-left';
    /** The player as they were while online (`since` = when they came online). */
    player: PlayerPresence;
    cause: LeaveCause | 'logged-out';
    /** The server's reason for a `logged out` line, e.g. `LostConnection`. */
    reason: string | null;
  })
  | (Stamp & {
    kind: 'player-queued';
    /** Queued for a full server (online >= slots): a real wait, not the seconds every join takes. */
    player: PlayerPresence;
    /** Players queued now, this one included. */
    position: number;
    maxPlayers: number;
  })
  | (Stamp & {
    kind: 'player-left-queue';
    /** The player as they were while queued (`since` = when they asked to join). */
    player: PlayerPresence;
    cause: LeaveCause | 'logged-out';
    reason: string | null;
  })
  | (Stamp & { kind: 'mission-ready'; missionId: string; level: number })
  | (Stamp & { kind: 'airdrop-flying' })
  | (Stamp & {
    kind: 'world-event-started';
    category: Exclude<GameplayEventCategory, 'other'>;
    eventId: string;
    state: string;
  });

/** Transitions that are counted, not posted. */
export interface ServerStateCounts {
  /** Players gone before they were online: left the queue. */
  leftQueue: number;
  /** Mission and respawn lines of encounter ids (`GA_..._Enc_...`). */
  encounters: number;
  patrolPoints: number;
  /** Mission state changes not announced (other states, low levels, repeats). */
  otherMissionStates: number;
  missionRespawns: number;
  /** Airdrop and gameplay-event states not announced. */
  otherWorldStates: number;
  /** `logged out` / `Join succeeded` lines whose name matched nobody known. */
  unmatchedNames: number;
  /** Log opened or closed: online players and queue were cleared. */
  restarts: number;
}

/** The new state and what changed. */
export interface ServerStateUpdate {
  state: ServerState;
  announcements: ServerAnnouncement[];
  counts: ServerStateCounts;
}

/** Settings of the state machine; every field has a default. */
export interface ServerStateOptions {
  /** Mission levels by id or `*` pattern; defaults to `DEFAULT_MISSION_LEVELS`. */
  missionLevels?: Readonly<Record<string, number>>;
  /** READY is announced for missions of this level and up (default 3). */
  minMissionLevel?: number;
  /**
   * Gameplay-event states that mean "it is on" (case ignored). No verbatim line is public, so the
   * default covers the likely words: ACTIVE, STARTED, READY, IN_PROGRESS, SPAWNED.
   */
  activeWorldEventStates?: readonly string[];
  /**
   * Announce players queueing for a full server and players leaving the queue (default false: they
   * are only counted). The bot's connections feed turns it on.
   */
  announceQueue?: boolean;
}

/** Mutable working copy used while applying one batch. */
export interface ServerStateDraft {
  players: Map<string, PlayerPresence>;
  maxPlayers: number | null;
  vehiclesTotal: number | null;
  missions: Map<string, string>;
  airdrop: string | null;
  gameplayEvents: Map<string, string>;
  lastTime: number | null;
}
