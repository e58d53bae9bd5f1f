/**
 * The feeds a guild can turn on, each posted to a channel an admin picks with `/feeds set`. The kind
 * is also the channel's purpose in the guild's settings (`SettingsRepo.setChannel(purpose, id)`).
 * The player count is per game server (each server renames its own voice channel), so its purpose
 * carries the server id: `playerCount_<serverId>` (purposes are letters, digits and `_`).
 */
export const FEED_KINDS = ['killfeed', 'connections', 'events', 'log'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** What each feed posts, for `/feeds list` and `/help`. */
export const FEED_DESCRIPTIONS: Record<FeedKind, string> = {
  killfeed: 'kills, environment deaths and suicides as they happen',
  connections: 'players joining, leaving and queueing',
  events: 'airdrops, missions (level 3 and above), helicrashes, roaming traders and convoys',
  log: 'notices for admins: a feed that stopped because the bot may not post, and why',
};

const PLAYER_COUNT_PREFIX = 'playerCount_';

/** The settings purpose of a server's player-count voice channel. */
export function playerCountPurpose(serverId: string): string {
  return `${PLAYER_COUNT_PREFIX}${serverId}`;
}

/** Whether a settings purpose is some server's player count (not one of FEED_KINDS). */
export function isPlayerCountPurpose(purpose: string): boolean {
  return purpose.startsWith(PLAYER_COUNT_PREFIX);
}
