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
 * Stops a guild's feed after Discord refused it: the problem is recorded (the first time only, the
 * guild's log channel is told), and the feed's waiting items are dropped rather than retried.
 */
export async function stopFeed(
  parts: { settings: Pick<SettingsRepo, 'get' | 'reportProblem'>; rest: FeedRest; logger: Logger; outbox: Pick<Outbox, 'dropAll'>; now: () => number },
  feed: { guildId: string; purpose: OutboxPurpose; channelId: string; refusal: Refusal },
): Promise<void> {
  const { guildId, purpose, channelId, refusal } = feed;
  const message = problemMessage(purpose, channelId, refusal);
  const first = await parts.settings.reportProblem(purpose, { code: refusal.code, message, at: new Date(parts.now()), channelId });
  const dropped = await parts.outbox.dropAll(guildId, purpose, parts.now());
  parts.logger.warn({ guildId, purpose, channelId, code: refusal.code, dropped }, 'feed stopped: Discord refused the post');
  if (!first) return;
  const logChannel = (await parts.settings.get()).channels.log;
  if (logChannel === undefined || logChannel === channelId) return;
  try {
    await parts.rest.post(Routes.channelMessages(logChannel), { body: { content: message, allowed_mentions: { parse: [] } } });
  } catch (error) {
    parts.logger.warn({ err: error, guildId, channelId: logChannel }, 'the log channel could not be told that a feed stopped');
  }
}
