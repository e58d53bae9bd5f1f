import { DiscordAPIError, RateLimitError } from 'discord.js';
import type { FeedItem } from '../ingest/feed.js';
import type { Logger } from '../logging/logger.js';
import type { SettingsRepo } from '../store/index.js';
import { reportStopped } from './feed-stop.js';
import { playerCountPurpose } from './kinds.js';
import { playerCountName, type PlayerCount } from './player-count-name.js';

/**
 * At most one rename per channel per 5 minutes: Discord allows two per 10 minutes, and a third is
 * refused for the rest of the window. Spacing them keeps the second one in reserve.
 */
export const RENAME_GAP_MS = 5 * 60_000;

/** What the renamer asks of Discord (src/feeds/player-count-discord.ts over discord.js). */
export interface ChannelRenames {
  /** The channel's name now; throws Discord's error for a channel the bot cannot see or that is gone. */
  currentName(channelId: string): Promise<string>;
  /** Renames; must reject at once on a 429 (rejectOnRateLimit), never wait out a 10-minute window. */
  rename(channelId: string, name: string): Promise<void>;
  /** A plain message to a channel: the guild's log channel, told once when a count stops. */
  notify(channelId: string, content: string): Promise<void>;
}

/** Sets one wait; cancelled on stop. Real timers by default, a test's clock in tests. */
export interface RenameTimers {
  set(fire: () => void, delayMs: number): { cancel(): void };
}

export interface PlayerCountRenamerOptions {
  discord: ChannelRenames;
  settings(guildId: string): Pick<SettingsRepo, 'get' | 'reportProblem'>;
  /** The game server's name as the guild calls it; null once it is removed. */
  serverName(guildId: string, serverId: string): Promise<string | null>;
  logger: Logger;
  minGapMs?: number;
  now?: () => number;
  timers?: RenameTimers;
}

/**
 * Keeps each game server's voice channel named after its player count. Coalescing: a server has one
 * wanted count, replaced by every newer one, so a rename always carries the latest figures and a
 * stale name is never queued. Unchanged names are never sent, including after a restart (the
 * channel's current name is read first).
 */
export interface PlayerCountRenamer {
  /** A Feed subscriber: takes `player-count` items, ignores the rest. Before `start` it only keeps the latest. */
  take(item: FeedItem): void;
  /**
   * The client is logged in: renames may go out (counts taken before wait for this). From then on,
   * every `minGapMs` each server's latest count is looked at again, so a channel set (or a server
   * renamed) since the count last changed shows the figures without waiting for a player to move.
   */
  start(): void;
  /** Resolves once no rename is in progress (waits for the next allowed moment may still be pending). */
  settled(): Promise<void>;
  /** Cancels pending waits; nothing new starts. */
  stop(): void;
}

interface Lane {
  guildId: string;
  serverId: string;
  wanted: PlayerCount | null;
  /** The latest count taken, kept after it is shown: the look-again sweep starts from it. */
  last: PlayerCount | null;
  running: Promise<void> | null;
  timer: { cancel(): void } | null;
}

/** What the renamer knows of a channel: the name it last saw or gave, and when it may rename next. */
interface ChannelState {
  name: string | null;
  nextAt: number;
}

const realTimers: RenameTimers = {
  set(fire, delayMs) {
    const timer = setTimeout(fire, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

export function createPlayerCountRenamer(o: PlayerCountRenamerOptions): PlayerCountRenamer {
  const log = o.logger.child({ module: 'player-count' });
  const now = o.now ?? Date.now;
  const timers = o.timers ?? realTimers;
  const gapMs = o.minGapMs ?? RENAME_GAP_MS;
  const lanes = new Map<string, Lane>();
  const channels = new Map<string, ChannelState>();
  let stopped = false;
  // Ticks start before the client logs in, and discord.js's REST has no token until then.
  let started = false;
  let sweep: { cancel(): void } | null = null;

  const channelState = (channelId: string): ChannelState => {
    let state = channels.get(channelId);
    if (!state) { state = { name: null, nextAt: 0 }; channels.set(channelId, state); }
    return state;
  };

  const waitThenTry = (lane: Lane, delayMs: number): void => {
    lane.timer?.cancel();
    lane.timer = timers.set(() => { lane.timer = null; kick(lane); }, Math.max(1, delayMs));
  };

  /** One step towards the wanted name: done, waiting for the next allowed moment, or renamed. */
  const attempt = async (lane: Lane, count: PlayerCount): Promise<void> => {
    const purpose = playerCountPurpose(lane.serverId);
    const config = await o.settings(lane.guildId).get();
    const channelId = config.channels[purpose];
    const server = await o.serverName(lane.guildId, lane.serverId);
    // No channel set, a stopped one (until an admin sets it again), or a removed server: nothing to do.
    if (channelId === undefined || config.problems[purpose]?.channelId === channelId || server === null) {
      if (lane.wanted === count) lane.wanted = null;
      if (server === null) lanes.delete(`${lane.guildId}:${lane.serverId}`);
      return;
    }
    const name = playerCountName(server, count);
    const channel = channelState(channelId);
    try {
      channel.name ??= await o.discord.currentName(channelId);
      if (channel.name === name) {
        if (lane.wanted === count) lane.wanted = null;
        return;
      }
      const wait = channel.nextAt - now();
      if (wait > 0) return waitThenTry(lane, wait);
      await o.discord.rename(channelId, name);
      channel.name = name;
      channel.nextAt = now() + gapMs;
      if (lane.wanted === count) lane.wanted = null;
      log.debug({ guildId: lane.guildId, serverId: lane.serverId, channelId, name }, 'player count channel renamed');
    } catch (error) {
      await failed(lane, { purpose, channelId, server }, channel, error);
    }
  };

  const failed = async (lane: Lane, at: { purpose: string; channelId: string; server: string }, channel: ChannelState, error: unknown): Promise<void> => {
    const where = { guildId: lane.guildId, serverId: lane.serverId, channelId: at.channelId };
    if (error instanceof RateLimitError) {
      // Refused for now (a rename made elsewhere, or Discord's window): try again when it opens, with
      // whatever count is latest by then.
      channel.nextAt = now() + Math.max(error.retryAfter, gapMs);
      log.info({ ...where, retryAfterMs: error.retryAfter }, 'player count rename refused for now by Discord; trying again later');
      return waitThenTry(lane, channel.nextAt - now());
    }
    const why = error instanceof DiscordAPIError ? REFUSALS[Number(error.code)] : undefined;
    if (why !== undefined && error instanceof DiscordAPIError) {
      lane.wanted = null;
      channels.delete(at.channelId);
      return stopChannel(lane.guildId, at, Number(error.code), why);
    }
    // Network trouble or a Discord outage: the name is read again next time, in case the rename landed.
    channel.name = null;
    channel.nextAt = now() + gapMs;
    log.warn({ ...where, err: error }, 'player count rename failed; trying again later');
    waitThenTry(lane, gapMs);
  };

  const stopChannel = async (guildId: string, at: { purpose: string; channelId: string; server: string }, code: number, why: string): Promise<void> => {
    const message = `The player count of ${at.server} stopped: Discord refused to rename <#${at.channelId}> because ${why}. Fix that, then run /feeds set player-count again to resume it.`;
    log.warn({ guildId, channelId: at.channelId, code, purpose: at.purpose }, 'player count stopped: Discord refused the rename');
    await reportStopped({ settings: o.settings(guildId), notify: (channelId, content) => o.discord.notify(channelId, content), logger: log, now },
      { guildId, purpose: at.purpose, channelId: at.channelId, code, message });
  };

  const kick = (lane: Lane): void => {
    if (!started || stopped || lane.running !== null || lane.timer !== null) return;
    lane.running = (async () => {
      // A newer count that came in while a step ran gets its own step; a wait ends the loop.
      while (!stopped && lane.wanted !== null && lane.timer === null) {
        const count = lane.wanted;
        await attempt(lane, count).catch((error: unknown) => {
          log.error({ err: error, guildId: lane.guildId, serverId: lane.serverId }, 'player count rename step failed');
          if (lane.wanted === count) lane.wanted = null;
        });
        if (lane.wanted === count && lane.timer === null) break;
      }
    })().finally(() => { lane.running = null; });
  };

  return {
    take(item) {
      if (item.kind !== 'player-count' || stopped) return;
      const key = `${item.guildId}:${item.serverId}`;
      let lane = lanes.get(key);
      if (!lane) { lane = { guildId: item.guildId, serverId: item.serverId, wanted: null, last: null, running: null, timer: null }; lanes.set(key, lane); }
      lane.wanted = { online: item.online, queued: item.queued, maxPlayers: item.maxPlayers };
      lane.last = lane.wanted;
      kick(lane);
    },
    start() {
      if (started || stopped) return;
      started = true;
      for (const lane of lanes.values()) kick(lane);
      // Unchanged names cost no request: the sweep reads settings and compares.
      const lookAgain = (): void => {
        for (const lane of lanes.values()) {
          if (lane.wanted !== null || lane.last === null) continue;
          lane.wanted = lane.last;
          kick(lane);
        }
        if (!stopped) sweep = timers.set(lookAgain, gapMs);
      };
      sweep = timers.set(lookAgain, gapMs);
    },
    async settled() {
      for (;;) {
        const running = [...lanes.values()].map((l) => l.running).filter((r): r is Promise<void> => r !== null);
        if (running.length === 0) return;
        await Promise.all(running);
      }
    },
    stop() {
      stopped = true;
      sweep?.cancel();
      for (const lane of lanes.values()) lane.timer?.cancel();
    },
  };
}

/** Discord's answers that stop a channel's count: asking again would get the same answer for ever. */
const REFUSALS: Record<number, string> = {
  50013: 'the bot lacks a permission there (it needs View Channel, Connect and Manage Channels)',
  50001: 'the bot cannot see that channel (it needs View Channel)',
  10003: 'that channel no longer exists',
};
