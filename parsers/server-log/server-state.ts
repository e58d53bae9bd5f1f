import { compileMissionLevels, DEFAULT_MISSION_LEVELS } from './mission-levels.js';
import { applyPlayerEvent, type ApplyOutcome } from './player-presence.js';
import type {
  ServerState, ServerStateCounts, ServerStateDraft, ServerStateOptions, ServerStateUpdate,
} from './server-state-types.js';
import type { ServerLogEvent } from './types.js';
import { applyWorldEvent, type WorldRules } from './world-state.js';

const DEFAULT_ACTIVE_WORLD_EVENT_STATES = ['ACTIVE', 'STARTED', 'READY', 'IN_PROGRESS', 'SPAWNED'];

/** The state of a server the bot has read nothing from yet. */
export function createServerState(): ServerState {
  return {
    players: new Map(), maxPlayers: null, vehiclesTotal: null, missions: new Map(), airdrop: null,
    gameplayEvents: new Map(), lastTime: null,
  };
}

/**
 * The state after a server restart: nobody online or queued, no mission, airdrop or vehicle known.
 * Call it when the log file got smaller than the stored offset; a `Log file open` line does the same.
 * The slot count is kept: the new command line will restate it.
 */
export function resetServerState(state: ServerState): ServerState {
  return { ...createServerState(), maxPlayers: state.maxPlayers, lastTime: state.lastTime };
}

function emptyCounts(): ServerStateCounts {
  return {
    leftQueue: 0, encounters: 0, patrolPoints: 0, otherMissionStates: 0, missionRespawns: 0,
    otherWorldStates: 0, unmatchedNames: 0, restarts: 0,
  };
}

function compileRules(options: ServerStateOptions): WorldRules {
  const states = options.activeWorldEventStates ?? DEFAULT_ACTIVE_WORLD_EVENT_STATES;
  return {
    missionLevel: compileMissionLevels(options.missionLevels ?? DEFAULT_MISSION_LEVELS),
    minMissionLevel: options.minMissionLevel ?? 3,
    activeWorldEventStates: new Set(states.map((s) => s.toUpperCase())),
  };
}

function toDraft(state: ServerState): ServerStateDraft {
  return {
    ...state,
    players: new Map(state.players),
    missions: new Map(state.missions),
    gameplayEvents: new Map(state.gameplayEvents),
  };
}

/**
 * Applies parsed events in order. Pure: `state` is left as it was; the result holds the new state,
 * the announcements to post (in event order) and the counted, unannounced transitions.
 */
export function applyServerEvents(
  state: ServerState, events: readonly ServerLogEvent[], options: ServerStateOptions = {},
): ServerStateUpdate {
  const rules = compileRules(options);
  let draft = toDraft(state);
  const out: ApplyOutcome = { announcements: [], counts: emptyCounts() };
  for (const event of events) {
    if (event.time !== null) draft.lastTime = event.time;
    switch (event.kind) {
      case 'log-open':
      case 'log-closed':
        // A new log is a restarted server; a closed one is a stopped server. Nobody is left online.
        draft = toDraft(resetServerState(draft));
        out.counts.restarts += 1;
        break;
      case 'max-players':
        draft.maxPlayers = event.maxPlayers;
        break;
      case 'join-request': case 'beacon-join': case 'registered': case 'left':
      case 'join-succeeded': case 'logged-out':
        applyPlayerEvent(draft, event, out, { announceQueue: options.announceQueue ?? false });
        break;
      default:
        applyWorldEvent(draft, event, rules, out);
    }
  }
  return { state: draft, ...out };
}
