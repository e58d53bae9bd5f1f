import type { MissionLevelLookup } from './mission-levels.js';
import type { ApplyOutcome } from './player-presence.js';
import type { ServerStateDraft } from './server-state-types.js';
import type {
  AirdropEvent, GameplayEventEvent, MissionEvent, MissionNoise, MissionRespawnEvent, VehicleEvent,
} from './types.js';

/** The events about the world rather than players. */
export type WorldEvent = MissionEvent | MissionRespawnEvent | AirdropEvent | GameplayEventEvent | VehicleEvent;

/** Compiled settings the world rules need. */
export interface WorldRules {
  missionLevel: MissionLevelLookup;
  minMissionLevel: number;
  /** Uppercased. */
  activeWorldEventStates: ReadonlySet<string>;
}

function countNoise(noise: MissionNoise, out: ApplyOutcome): void {
  if (noise === 'encounter') out.counts.encounters += 1;
  else out.counts.patrolPoints += 1;
}

/** Updates missions, airdrop, gameplay events and vehicles; announces what is worth a post. */
export function applyWorldEvent(draft: ServerStateDraft, event: WorldEvent, rules: WorldRules, out: ApplyOutcome): void {
  switch (event.kind) {
    case 'mission': return applyMission(draft, event, rules, out);
    case 'mission-respawn':
      if (event.noise !== null) countNoise(event.noise, out);
      else out.counts.missionRespawns += 1;
      return;
    case 'airdrop': {
      const wasFlying = draft.airdrop?.toLowerCase() === 'flying';
      draft.airdrop = event.state;
      if (event.state.toLowerCase() === 'flying' && !wasFlying) {
        out.announcements.push({ kind: 'airdrop-flying', line: event.line, time: event.time });
      } else {
        out.counts.otherWorldStates += 1;
      }
      return;
    }
    case 'gameplay-event': return applyGameplayEvent(draft, event, rules, out);
    case 'vehicle':
      draft.vehiclesTotal = event.total;
      return;
  }
}

function applyMission(draft: ServerStateDraft, event: MissionEvent, rules: WorldRules, out: ApplyOutcome): void {
  const previous = draft.missions.get(event.missionId);
  draft.missions.set(event.missionId, event.state);
  if (event.noise !== null) return countNoise(event.noise, out);
  const level = event.state.toUpperCase() === 'READY' && previous?.toUpperCase() !== 'READY'
    ? rules.missionLevel(event.missionId)
    : null;
  if (level !== null && level >= rules.minMissionLevel) {
    out.announcements.push({ kind: 'mission-ready', line: event.line, time: event.time, missionId: event.missionId, level });
  } else {
    out.counts.otherMissionStates += 1;
  }
}

// Announced once per activation: an event going READY then IN_PROGRESS is one post, not two.
function applyGameplayEvent(draft: ServerStateDraft, event: GameplayEventEvent, rules: WorldRules, out: ApplyOutcome): void {
  const previous = draft.gameplayEvents.get(event.eventId);
  draft.gameplayEvents.set(event.eventId, event.state);
  const isActive = (state: string | undefined): boolean =>
    state !== undefined && rules.activeWorldEventStates.has(state.toUpperCase());
  if (event.category !== 'other' && isActive(event.state) && !isActive(previous)) {
    out.announcements.push({
      kind: 'world-event-started', line: event.line, time: event.time,
      category: event.category, eventId: event.eventId, state: event.state,
    });
  } else {
    out.counts.otherWorldStates += 1;
  }
}
