import type { APIEmbed } from 'discord.js';
import { embedSize } from '../discord/format/embed.js';
import type { OutboxDoc, OutboxItem } from '../store/outbox.js';
import { backlogSummary, renderAnnouncement, renderDeath } from './render/index.js';

/** Discord's limits on one message: 10 embeds, 6,000 characters over all of them. */
export const MESSAGE_LIMITS = { embeds: 10, characters: 6_000 } as const;

/** One message to post: its items (oldest first), their embeds, and its nonce when already claimed. */
export interface MessageBatch {
  docs: OutboxDoc[];
  embeds: APIEmbed[];
  /** Set when the items were claimed before (a restart): post again with this very nonce. */
  nonce: string | null;
}

/** How one outbox item looks in Discord (the renderer decides; a summary is one line). */
export function renderItem(doc: Pick<OutboxDoc, 'item' | 'serverName'>): APIEmbed {
  const item = doc.item;
  if (item.type === 'death') return renderDeath(item.event, { serverName: doc.serverName, killerStreak: item.killerStreak });
  if (item.type === 'announcement') return renderAnnouncement(item.announcement, { serverName: doc.serverName });
  return { description: backlogSummary({ deaths: item.deaths, announcements: item.announcements }, item.since) };
}

/**
 * The next message of a feed, from its oldest waiting items. Items claimed before (a post that was
 * not confirmed) are posted again as they were: the same items with the same nonce, so Discord
 * answers with the first message. Otherwise as many unclaimed items as fit, in order.
 */
export function nextMessage(items: readonly OutboxDoc[]): MessageBatch | null {
  const head = items[0];
  if (!head) return null;
  if (head.nonce !== undefined) {
    const docs = items.filter((d) => d.nonce === head.nonce);
    return { docs, embeds: docs.map(renderItem), nonce: head.nonce };
  }
  const docs: OutboxDoc[] = [];
  const embeds: APIEmbed[] = [];
  let characters = 0;
  for (const doc of items) {
    if (doc.nonce !== undefined || docs.length === MESSAGE_LIMITS.embeds) break;
    const embed = renderItem(doc);
    const size = embedSize(embed);
    if (docs.length > 0 && characters + size > MESSAGE_LIMITS.characters) break;
    docs.push(doc);
    embeds.push(embed);
    characters += size;
  }
  return { docs, embeds, nonce: null };
}

/** When an item happened (ms): a death's or announcement's own time, else when its batch was recorded. */
export function itemTime(doc: Pick<OutboxDoc, 'item' | 'at'>): number {
  const item: OutboxItem = doc.item;
  if (item.type === 'death') return item.event.time;
  if (item.type === 'summary') return item.since;
  return item.announcement.time ?? doc.at;
}

/**
 * A far-behind feed's older items as one summary ("+37 more kills since 20:14"): what `folded`
 * counted (summaries folded again add up) and the time of the oldest.
 */
export function foldSummary(folded: readonly OutboxDoc[]): OutboxItem & { type: 'summary' } {
  let deaths = 0;
  let announcements = 0;
  let since = Number.POSITIVE_INFINITY;
  for (const doc of folded) {
    const item = doc.item;
    if (item.type === 'death') deaths += 1;
    else if (item.type === 'announcement') announcements += 1;
    else { deaths += item.deaths; announcements += item.announcements; }
    since = Math.min(since, itemTime(doc));
  }
  return { type: 'summary', deaths, announcements, since: Number.isFinite(since) ? since : 0 };
}
