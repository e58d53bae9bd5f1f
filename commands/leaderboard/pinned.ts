import { DiscordAPIError, type Client } from 'discord.js';
import type { Logger } from '../../src/logging/logger.js';
import type { GuildStore, Store } from '../../src/store/index.js';
import { UserError } from '../../src/discord/user-error.js';
import { renderBoard, type BoardSpec } from './board.js';

/** A leaderboard message refreshed in place: where it is, what it shows, when it is next edited. */
export interface PinnedBoard {
  channelId: string;
  messageId: string;
  spec: BoardSpec;
  everyMinutes: number;
  nextAt: number;
}

/** One per guild, as JSON in the guild's settings: it survives a restart, and goes with the guild's data. */
const SETTING = 'leaderboardPost';
/** The channel purpose a stopped board's problem is recorded under (shown to admins by /leaderboard). */
export const BOARD_PURPOSE = 'leaderboard';

export async function readPinned(guild: GuildStore): Promise<PinnedBoard | null> {
  const value = (await guild.settings.get()).settings[SETTING];
  return typeof value === 'string' && value !== '' ? (JSON.parse(value) as PinnedBoard) : null;
}

export async function savePinned(guild: GuildStore, pin: PinnedBoard | null): Promise<void> {
  await guild.settings.set(SETTING, pin === null ? '' : JSON.stringify(pin));
}

/** Discord's answers meaning the board cannot be edited again: message or channel gone, access lost. */
const GONE: Record<number, string> = {
  10003: 'its channel was deleted',
  10008: 'its message was deleted',
  50001: 'the bot can no longer see its channel',
  50013: 'the bot may no longer post in its channel',
};

export interface BoardRefresher {
  /** Edits every pinned board that is due at `now`; returns how many were edited. */
  refreshDue(now?: number): Promise<number>;
  start(): void;
  /** Stops refreshing; resolves once a refresh under way has finished. */
  stop(): Promise<void>;
}

/** Every guild's settings are read again this often: how soon a newly pinned board is known (its first refresh is at least 5 minutes away). */
const RESCAN_MS = 5 * 60_000;

/**
 * Refreshes the pinned boards of the guilds the bot is in. Each minute it edits the boards that are
 * due, knowing when each is due from memory; every 5 minutes it reads every guild's settings again
 * (one read per guild), which finds boards pinned since and forgets unpinned ones. A board whose
 * message or channel is gone stops: the pin is cleared and the reason recorded for the admins.
 */
export function createBoardRefresher(parts: { client: Client; store: Pick<Store, 'guild'>; logger: Logger; checkEveryMs?: number }): BoardRefresher {
  const log = parts.logger.child({ module: 'leaderboard-refresh' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  /** Guild id -> when its pinned board is next due. */
  const due = new Map<string, number>();
  let scannedAt = -Infinity;
  const refreshDue = async (now = Date.now()): Promise<number> => {
    const rescan = now - scannedAt >= RESCAN_MS;
    if (rescan) scannedAt = now;
    let edited = 0;
    for (const guildId of parts.client.guilds.cache.keys()) {
      const known = due.get(guildId);
      if (!rescan && (known === undefined || known > now)) continue;
      const guild = parts.store.guild(guildId);
      const pin = await readPinned(guild);
      due.delete(guildId);
      if (pin === null) continue;
      if (pin.nextAt > now) {
        due.set(guildId, pin.nextAt);
        continue;
      }
      const done = await refreshOne(parts.client, guild, pin, now, log);
      if (done.edited) edited += 1;
      if (done.nextAt !== null) due.set(guildId, done.nextAt);
    }
    return edited;
  };
  return {
    refreshDue,
    start() {
      timer ??= setInterval(() => {
        running ??= refreshDue().catch((error: unknown) => { log.error({ err: error }, 'refreshing the pinned leaderboards failed'); return 0; })
          .finally(() => { running = null; });
      }, parts.checkEveryMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      // A refresh under way finishes before the store and the client it uses are closed.
      await running;
    },
  };
}

/** Edits one board in place, and says when it is next due (null: stopped, as it cannot be edited again). */
async function refreshOne(client: Client, guild: GuildStore, pin: PinnedBoard, now: number, log: Logger): Promise<{ edited: boolean; nextAt: number | null }> {
  const nextAt = now + pin.everyMinutes * 60_000;
  const embed = await renderBoard(guild, pin.spec, now).catch((error: unknown) => {
    if (error instanceof UserError) return { title: 'Leaderboard', description: error.message };
    throw error;
  });
  try {
    const channel = await client.channels.fetch(pin.channelId);
    if (!channel?.isTextBased() || channel.isDMBased()) throw new Error('not a text channel of the guild');
    await channel.messages.edit(pin.messageId, { embeds: [{ ...embed, timestamp: new Date(now).toISOString() }] });
  } catch (error) {
    const reason = error instanceof DiscordAPIError && typeof error.code === 'number' ? GONE[error.code] : undefined;
    if (reason === undefined) {
      log.warn({ err: error, guildId: guild.guildId }, 'could not refresh the pinned leaderboard; trying again next time');
      await savePinned(guild, { ...pin, nextAt });
      return { edited: false, nextAt };
    }
    await savePinned(guild, null);
    await guild.settings.reportProblem(BOARD_PURPOSE, {
      code: (error as DiscordAPIError).code as number, at: new Date(now), channelId: pin.channelId,
      message: `The pinned leaderboard stopped: ${reason}. Pin it again with /leaderboard pin:True in a channel the bot can post in.`,
    });
    log.info({ guildId: guild.guildId, code: (error as DiscordAPIError).code }, 'pinned leaderboard stopped');
    return { edited: false, nextAt: null };
  }
  await savePinned(guild, { ...pin, nextAt });
  return { edited: true, nextAt };
}
