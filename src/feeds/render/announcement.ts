import type { APIEmbed } from 'discord.js';
import type { PlayerPresence, ServerAnnouncement } from '../../../parsers/index.js';
import { buildEmbed, formatDuration, type EmbedDraft } from '../../discord/format/index.js';
import { COLOURS } from './colours.js';
import { escapeName, platformTag, playerLabel } from './names.js';
import { timestampOf } from './time.js';

/** Which feed posts an announcement; null for one no feed posts. */
export function feedKindOf(a: ServerAnnouncement): 'connections' | 'events' | null {
  switch (a.kind) {
    case 'player-joined': case 'player-left': case 'player-queued': case 'player-left-queue': return 'connections';
    case 'mission-ready': case 'airdrop-flying': case 'world-event-started': return 'events';
    default: return null;
  }
}

/** The connections or events embed for one server announcement, footed with the server's name. */
export function renderAnnouncement(a: ServerAnnouncement, ctx: { serverName: string }): APIEmbed {
  return buildEmbed({ ...draftOf(a), footer: ctx.serverName, ...timestampOf(a.time) });
}

function draftOf(a: ServerAnnouncement): EmbedDraft {
  switch (a.kind) {
    case 'player-joined':
      return { color: COLOURS.joined, description: `📥 ${presenceLabel(a.player)} joined the server` };
    case 'player-left':
      return { color: COLOURS.left, description: `📤 ${presenceLabel(a.player)} ${leftWording(a.cause, a.reason)}${playedFor(a.player, a.time)}` };
    case 'player-queued':
      return { color: COLOURS.queue, description: `⏳ ${presenceLabel(a.player)} is waiting in the queue (position ${a.position}, the server is full at ${a.maxPlayers})` };
    case 'player-left-queue':
      return { color: COLOURS.queue, description: `↩️ ${presenceLabel(a.player)} left the queue${playedFor(a.player, a.time, 'after waiting')}` };
    case 'mission-ready':
      return {
        title: 'Mission ready', color: COLOURS.mission,
        description: `🎯 **${escapeName(missionName(a.missionId))}** is ready (level ${a.level})`,
      };
    case 'airdrop-flying':
      return { title: 'Airdrop', color: COLOURS.airdrop, description: '✈️ An airdrop is on its way' };
    case 'world-event-started':
      return { title: WORLD_EVENTS[a.category].title, color: COLOURS.worldEvent, description: WORLD_EVENTS[a.category].description };
  }
}

const WORLD_EVENTS = {
  helicrash: { title: 'Helicrash', description: '🚁 A helicopter has crashed' },
  'roaming-trader': { title: 'Roaming trader', description: '🛒 A roaming trader is out' },
  convoy: { title: 'Convoy', description: '🚚 A convoy is on the move' },
} as const;

/** The player's name, or the start of their EOS id when the log gave no name. */
function presenceLabel(player: PlayerPresence): string {
  if (player.name !== null) return playerLabel(player.name, player.platform);
  const id = player.eosId === null ? 'Unknown player' : `Player ${player.eosId.slice(0, 12)}…`;
  return `**${escapeName(id)}**${platformTag(player.platform)}`;
}

/** Why they left, in a member's words; the server's own reason when it gave one. */
function leftWording(cause: Extract<ServerAnnouncement, { kind: 'player-left' }>['cause'], reason: string | null): string {
  if (cause === 'timed-out') return 'lost connection (timed out)';
  if (reason !== null) return `left the server (${escapeName(splitWords(reason))})`;
  return 'left the server';
}

/** ` after 1h 12m` when both ends of the visit (or the wait) are known. */
function playedFor(player: PlayerPresence, leftAt: number | null, words = 'after'): string {
  if (player.since === null || leftAt === null || leftAt < player.since) return '';
  return ` ${words} ${formatDuration(leftAt - player.since)}`;
}

/** `LostConnection` -> `lost connection`; other reasons as written. */
function splitWords(reason: string): string {
  return /^[A-Z][a-zA-Z]+$/.test(reason) ? reason.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase() : reason;
}

/** `GA_Military_02_mis1` -> `Military 02`: the place, without the engine's prefix and suffix. */
export function missionName(missionId: string): string {
  const place = missionId.replace(/^GA_/i, '').replace(/_mis\d*$/i, '').replace(/_+/g, ' ').trim();
  return place === '' ? missionId : place;
}
