import type {
  PlayerPresence, PresenceStatus, ServerAnnouncement, ServerStateCounts, ServerStateDraft,
} from './server-state-types.js';
import type {
  BeaconJoinEvent, JoinRequestEvent, JoinSucceededEvent, LeftEvent, LoggedOutEvent, RegisteredEvent,
} from './types.js';

/** The events that move a player through queued, online and gone. */
export type PlayerEvent =
  | JoinRequestEvent | BeaconJoinEvent | RegisteredEvent | LeftEvent | JoinSucceededEvent | LoggedOutEvent;

/** Where announcements and counts of one apply go. */
export interface ApplyOutcome {
  announcements: ServerAnnouncement[];
  counts: ServerStateCounts;
}

/** Settings of the player rules. */
export interface PlayerRules {
  /** Announce queueing for a full server and leaving the queue (else only counted). */
  announceQueue: boolean;
}

/** Moves one player along the life cycle. */
export function applyPlayerEvent(draft: ServerStateDraft, event: PlayerEvent, out: ApplyOutcome, rules: PlayerRules = { announceQueue: false }): void {
  switch (event.kind) {
    case 'join-request': return queue(draft, event, out, rules);
    case 'beacon-join':
      if (!draft.players.has(event.eosId)) {
        draft.players.set(event.eosId, { eosId: event.eosId, name: null, platform: null, status: 'queued', since: event.time });
      }
      return;
    case 'registered': return bringOnline(draft, event.eosId, event, out);
    case 'left': return drop(draft, event.eosId, event, out, event.cause, null, rules);
    case 'join-succeeded': return joinByName(draft, event, out);
    case 'logged-out': {
      const key = findByName(draft, event.name, 'online') ?? findByName(draft, event.name, 'queued');
      if (key === null) out.counts.unmatchedNames += 1;
      else drop(draft, key, event, out, 'logged-out', event.reason === '' ? null : event.reason, rules);
      return;
    }
  }
}

function queue(draft: ServerStateDraft, event: JoinRequestEvent, out: ApplyOutcome, rules: PlayerRules): void {
  const known = draft.players.get(event.eosId);
  const name = event.name ?? known?.name ?? null;
  const platform = event.platform ?? known?.platform ?? null;
  // A join request from someone already online (a reconnect the log has not closed yet) keeps them online.
  const status: PresenceStatus = known?.status ?? 'queued';
  const player: PlayerPresence = { eosId: event.eosId, name, platform, status, since: known?.since ?? event.time };
  draft.players.set(event.eosId, player);
  if (!rules.announceQueue || known !== undefined || draft.maxPlayers === null) return;
  // Every join passes through the queue for a few seconds; only a full server makes it a wait.
  let online = 0;
  let queued = 0;
  for (const p of draft.players.values()) {
    if (p.status === 'online') online += 1;
    else queued += 1;
  }
  if (online < draft.maxPlayers) return;
  out.announcements.push({ kind: 'player-queued', line: event.line, time: event.time, player, position: queued, maxPlayers: draft.maxPlayers });
}

function bringOnline(draft: ServerStateDraft, key: string, event: RegisteredEvent | JoinSucceededEvent, out: ApplyOutcome): void {
  const known = draft.players.get(key);
  if (known?.status === 'online') return;
  const player: PlayerPresence = known === undefined
    ? { eosId: key, name: null, platform: null, status: 'online', since: event.time }
    : { ...known, status: 'online', since: event.time };
  draft.players.set(key, player);
  out.announcements.push({ kind: 'player-joined', line: event.line, time: event.time, player });
}

function drop(
  draft: ServerStateDraft, key: string, event: LeftEvent | LoggedOutEvent, out: ApplyOutcome,
  cause: 'logged-out' | LeftEvent['cause'], reason: string | null, rules: PlayerRules,
): void {
  const known = draft.players.get(key);
  // Several "gone" lines follow one another for the same player: only the first one counts.
  if (known === undefined) return;
  draft.players.delete(key);
  if (known.status === 'queued') {
    out.counts.leftQueue += 1;
    if (rules.announceQueue) out.announcements.push({ kind: 'player-left-queue', line: event.line, time: event.time, player: known, cause, reason });
    return;
  }
  out.announcements.push({ kind: 'player-left', line: event.line, time: event.time, player: known, cause, reason });
}

function joinByName(draft: ServerStateDraft, event: JoinSucceededEvent, out: ApplyOutcome): void {
  const key = findByName(draft, event.name, 'queued') ?? findByName(draft, event.name, 'online');
  if (key !== null) return bringOnline(draft, key, event, out);
  // Newer servers may log only names: such a player is tracked by name alone.
  const player: PlayerPresence = { eosId: null, name: event.name, platform: null, status: 'online', since: event.time };
  draft.players.set(`name:${event.name}`, player);
  out.announcements.push({ kind: 'player-joined', line: event.line, time: event.time, player });
}

function findByName(draft: ServerStateDraft, name: string, status: PresenceStatus): string | null {
  for (const [key, player] of draft.players) {
    if (player.status === status && player.name === name) return key;
  }
  return null;
}
