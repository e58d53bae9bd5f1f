import { DiscordAPIError, Routes } from 'discord.js';
import type { Logger } from '../logging/logger.js';
import type { SettingsRepo } from '../store/index.js';
import type { Outbox, OutboxPurpose } from '../store/outbox.js';
import type { FeedRest } from './outbox-poster.js';

/** Discord's answers that stop a feed: asking again would get the same answer for ever. */
const REFUSALS: Record<number, string> = {
  50013: 'the bot lacks a permission there (it needs View Channel, Send Messages and Embed Links)',
  50001: 'the bot cannot see that channel (it needs View Channel)',
  10003: 'that channel no longer exists',
};

export interface Refusal {
  code: number;
  why: string;
}

/** The refusal in a failed post, or null when it is worth trying again (network, 5xx). */
export function refusalOf(error: unknown): Refusal | null {
  if (!(error instanceof DiscordAPIError) || typeof error.code !== 'number') return null;
  const why = REFUSALS[error.code];
  return why === undefined ? null : { code: error.code, why };
}

/**
 * A message Discord will never take as it is (400, e.g. 50035 Invalid Form Body): retrying would
 * hold the feed up for ever behind it, so its items are dropped and the error logged as a bug.
 */
export function isUnpostable(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.status === 400;
}

/** What admins read, in /server status, /feeds list and the log channel. */
export function problemMessage(purpose: string, channelId: string, refusal: Refusal): string {
  return `The ${purpose} feed stopped: Discord refused to post in <#${channelId}> because ${refusal.why}. Fix that, then run /feeds set ${purpose} again to resume it.`;
}

/**
 * Records why a feed (or a player count) stopped and, the first time only, tells the guild's log
 * channel (unless that is the channel that stopped): shared by the outbox poster and the renamer.
 */
export async function reportStopped(
  parts: { settings: Pick<SettingsRepo, 'get' | 'reportProblem'>; notify(channelId: string, content: string): Promise<void>; logger: Logger; now: () => number },
  stop: { guildId: string; purpose: string; channelId: string; code: number; message: string },
): Promise<void> {
  const { guildId, purpose, channelId, code, message } = stop;
  const first = await parts.settings.reportProblem(purpose, { code, message, at: new Date(parts.now()), channelId });
  if (!first) return;
  const logChannel = (await parts.settings.get()).channels.log;
  if (logChannel === undefined || logChannel === channelId) return;
  try {
    await parts.notify(logChannel, message);
  } catch (error) {
    parts.logger.warn({ err: error, guildId, channelId: logChannel, purpose }, 'the log channel could not be told that a feed stopped');
  }
}

/**
 * Stops a guild's feed after Discord refused it: the problem is recorded (the first time only, the
 * guild's log channel is told), and the feed's waiting items are dropped rather than retried.
 */
export async function stopFeed(
  parts: { settings: Pick<SettingsRepo, 'get' | 'reportProblem'>; rest: FeedRest; logger: Logger; outbox: Pick<Outbox, 'dropAll'>; now: () => number },
  feed: { guildId: string; purpose: OutboxPurpose; channelId: string; refusal: Refusal },
): Promise<void> {
  const { guildId, purpose, channelId, refusal } = feed;
  const dropped = await parts.outbox.dropAll(guildId, purpose, parts.now());
  parts.logger.warn({ guildId, purpose, channelId, code: refusal.code, dropped }, 'feed stopped: Discord refused the post');
  const notify = async (logChannel: string, content: string): Promise<void> => {
    await parts.rest.post(Routes.channelMessages(logChannel), { body: { content, allowed_mentions: { parse: [] } } });
  };
  await reportStopped({ ...parts, notify }, { guildId, purpose, channelId, code: refusal.code, message: problemMessage(purpose, channelId, refusal) });
}
