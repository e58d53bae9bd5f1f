import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Routes, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Logger } from '../logging/logger.js';
import type { SettingsRepo } from '../store/index.js';
import type { Outbox, OutboxPurpose } from '../store/outbox.js';
import { isUnpostable, refusalOf, stopFeed } from './feed-stop.js';
import { foldSummary, nextMessage, type MessageBatch } from './message-batch.js';

/** The REST calls the poster makes (discord.js's `client.rest`, whose queue waits out 429s). */
export interface FeedRest {
  post(route: `/${string}`, options: { body: unknown; signal?: AbortSignal }): Promise<unknown>;
}

export interface OutboxPosterOptions {
  outbox: Outbox;
  settings(guildId: string): Pick<SettingsRepo, 'get' | 'reportProblem'>;
  rest: FeedRest;
  logger: Logger;
  /** A feed with more waiting items than this has its older ones folded into one summary line. */
  backlogLimit?: number;
  /** How many of the newest items a fold keeps as they are. */
  keepAfterFold?: number;
  now?: () => number;
  /** Hears, for each item posted, how long after its moment in the game Discord took it (the killfeed delay metric). */
  delivery?: { observeDelivery(purpose: OutboxPurpose, delayMs: number): void };
}

/**
 * Posts the outbox, exactly once and in order per feed (a guild's killfeed, connections, events):
 * one loop per feed, all feeds at once; discord.js's REST queue keeps within Discord's rate limits.
 *
 * Each message is claim, post, confirm: its items get a nonce in the store, the post carries it
 * with `enforce_nonce`, then the items are marked posted. A crash between the claim and the mark
 * leaves the items claimed; the next run posts them again with the same nonce and content, and
 * Discord returns the first message instead of making a second. Discord honours a nonce for a few
 * minutes only (the stand-in: 5): a bot down longer than that with a claimed message may post it
 * twice. That is the one window this does not close.
 */
export interface OutboxPoster {
  /** Takes up what a stop or a crash left waiting. */
  start(): Promise<void>;
  /** New items for a guild's feeds are durable. */
  wake(guildId: string, purposes: readonly OutboxPurpose[]): void;
  /** Posts what is waiting until nothing is, or until the deadline; then stops. */
  drain(deadlineMs: number): Promise<void>;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export function createOutboxPoster(o: OutboxPosterOptions): OutboxPoster {
  const logger = o.logger.child({ module: 'feed-poster' });
  const now = o.now ?? Date.now;
  const backlogLimit = o.backlogLimit ?? 50;
  const keep = Math.min(o.keepAfterFold ?? 20, backlogLimit);
  const lanes = new Map<string, { running: Promise<void>; again: boolean }>();
  const stop = new AbortController();
  let draining = false;
  // Items made durable before login wait for `start`, which takes up everything waiting.
  let started = false;

  const wake = (guildId: string, purpose: OutboxPurpose): void => {
    if (stop.signal.aborted) return;
    const key = `${guildId}:${purpose}`;
    const lane = lanes.get(key);
    if (lane) {
      lane.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      let failures = 0;
      do {
        entry.again = false;
        try {
          await runFeed(guildId, purpose);
          failures = 0;
        } catch (error) {
          // The database or Discord failing in a way not worth a message each time: try again, slower and slower.
          if (stop.signal.aborted) break;
          failures += 1;
          logger.error({ err: error, guildId, purpose, failures }, 'feed posting failed; trying again');
          await pause(failures);
          entry.again = true;
        }
      } while (entry.again && !stop.signal.aborted);
      lanes.delete(key);
    })();
    lanes.set(key, entry);
  };

  /** Waits longer after each failure in a row, up to RETRY_MAX_MS; a stop ends the wait. */
  const pause = (failures: number): Promise<void> =>
    sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** failures), undefined, { signal: stop.signal }).catch(() => undefined);

  /** Posts a feed's waiting items until none are left (or the poster stops). */
  async function runFeed(guildId: string, purpose: OutboxPurpose): Promise<void> {
    let failures = 0;
    while (!stop.signal.aborted) {
      const config = await o.settings(guildId).get();
      const channelId = config.channels[purpose];
      if (channelId === undefined || config.problems[purpose] !== undefined) {
        // No channel, or the feed stopped: its items are dropped, not kept for ever.
        const dropped = await o.outbox.dropAll(guildId, purpose, now());
        if (dropped > 0) logger.debug({ guildId, purpose, dropped }, 'feed items dropped: the feed has no channel or is stopped');
        return;
      }
      const items = await o.outbox.oldest(guildId, purpose, backlogLimit + 1);
      if (items.length === 0) return;
      if (items.length > backlogLimit && await fold(guildId, purpose)) continue;
      const message = nextMessage(items);
      if (!message || message.docs.length === 0) return;
      const outcome = await post(channelId, message, guildId, purpose);
      if (outcome === 'stopped') return;
      if (outcome === 'retry') {
        failures += 1;
        await pause(failures);
      } else failures = 0;
    }
  }

  async function post(channelId: string, message: MessageBatch, guildId: string, purpose: OutboxPurpose): Promise<'posted' | 'retry' | 'stopped'> {
    let nonce = message.nonce;
    if (nonce !== null) logger.info({ guildId, purpose, items: message.docs.length }, 'posting again a message claimed before a restart, with its nonce');
    if (nonce === null) {
      nonce = randomBytes(12).toString('base64url');
      const ids = message.docs.map((d) => d._id);
      // Claimed in the store before the post: after a crash the same message goes again with this nonce.
      const claimed = await o.outbox.claim(ids, nonce, now());
      if (claimed !== ids.length) return 'posted';
    }
    const body: RESTPostAPIChannelMessageJSONBody = { embeds: message.embeds, nonce, enforce_nonce: true };
    // A signal of the post's own, aborted by the stop: @discordjs/rest adds a listener to the signal it
    // is given and never removes it, so handing it the long-lived stop signal kept one per message ever posted.
    const request = new AbortController();
    const abort = (): void => request.abort();
    stop.signal.addEventListener('abort', abort, { once: true });
    try {
      await o.rest.post(Routes.channelMessages(channelId), { body, signal: request.signal });
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) {
        await stopFeed({ settings: o.settings(guildId), rest: o.rest, logger, outbox: o.outbox, now }, { guildId, purpose, channelId, refusal });
        return 'stopped';
      }
      if (isUnpostable(error)) {
        logger.error({ err: error, guildId, purpose, channelId, items: message.docs.length }, 'Discord refused a feed message as invalid: its items are dropped');
        await o.outbox.settle(message.docs.map((d) => d._id), 'dropped', now());
        return 'posted';
      }
      if (!stop.signal.aborted) logger.warn({ err: error, guildId, purpose, channelId }, 'a feed message was not posted; trying again');
      return 'retry';
    } finally {
      stop.signal.removeEventListener('abort', abort);
    }
    await o.outbox.settle(message.docs.map((d) => d._id), 'posted', now());
    if (o.delivery) {
      const at = now();
      for (const d of message.docs) {
        const time = d.item.type === 'death' ? d.item.event.time : d.item.type === 'announcement' ? d.item.announcement.time : null;
        if (time !== null) o.delivery.observeDelivery(purpose, at - time);
      }
    }
    return 'posted';
  }

  /** Folds all but the newest `keep` unclaimed items into one summary, in the place of the oldest. */
  async function fold(guildId: string, purpose: OutboxPurpose): Promise<boolean> {
    // Only the items to fold are loaded (oldest first), not the newest `keep` too: a feed far behind holds many.
    const toFold = (await o.outbox.count(guildId, purpose)) - keep;
    if (toFold < 2) return false;
    const older = (await o.outbox.oldest(guildId, purpose, toFold)).filter((d) => d.nonce === undefined);
    if (older.length < 2) return false;
    await o.outbox.fold(older, foldSummary(older), now());
    logger.info({ guildId, purpose, folded: older.length }, 'a feed far behind: older items folded into one summary');
    return true;
  }

  return {
    async start() {
      started = true;
      for (const { guildId, purpose } of await o.outbox.waiting()) wake(guildId, purpose);
    },
    wake(guildId, purposes) {
      if (draining || !started) return;
      for (const purpose of purposes) wake(guildId, purpose);
    },
    async drain(deadlineMs) {
      draining = true;
      const timer = setTimeout(() => stop.abort(), deadlineMs);
      try {
        while (lanes.size > 0) await Promise.all([...lanes.values()].map((l) => l.running));
      } finally {
        clearTimeout(timer);
        stop.abort();
      }
    },
  };
}
