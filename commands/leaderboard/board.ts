import type { APIEmbed } from 'discord.js';
import { leaderboardEmbed, previousSeasonEmbed, type BoardUnit } from '../../src/discord/format/leaderboard.js';
import { PERIOD_WORDS } from '../../src/discord/format/period-words.js';
import { UserError } from '../../src/discord/user-error.js';
import type { BoardPeriod, GuildStore, Metric } from '../../src/store/index.js';
import { findServer, storeInput } from '../server/find-server.js';

/** The boards `/leaderboard` offers, by option value. */
export const BOARDS = {
  kills: { metric: 'kills', title: 'Most kills', unit: 'kills' },
  kd: { metric: 'kd', title: 'Best KD ratio', unit: 'kd' },
  longest: { metric: 'longestKill', title: 'Longest kill', unit: 'metres' },
  streak: { metric: 'bestStreak', title: 'Best kill streak', unit: 'streak' },
  'current-streak': { metric: 'currentStreak', title: 'Current kill streak', unit: 'streak' },
  deaths: { metric: 'deaths', title: 'Most deaths', unit: 'deaths' },
  weapon: { metric: 'weaponKills', title: 'Most kills with', unit: 'kills' },
} as const satisfies Record<string, { metric: Metric; title: string; unit: BoardUnit }>;

export type Board = keyof typeof BOARDS;

/** What one board shows: kept as is for a board refreshed in place (pinned.ts). */
export interface BoardSpec {
  board: Board;
  serverId: string | null;
  period: BoardPeriod;
  weapon: string | null;
}

/** Boards kept by the day documents: what a season's top 3 is kept for. */
const SEASON_BOARDS: readonly Board[] = ['kills', 'kd', 'longest', 'deaths'];

/** Plain words for a board and period that cannot go together, or null when they can. */
export function unsupported(spec: BoardSpec): string | null {
  if ((spec.board === 'streak' || spec.board === 'current-streak') && spec.period !== 'all') {
    return `Streaks are counted over all time only (a streak runs across days and wipes), so there is no ${spec.board === 'streak' ? 'best' : 'current'} streak for ${PERIOD_WORDS[spec.period]}. Pick the period "all time", or the kills board for ${PERIOD_WORDS[spec.period]}.`;
  }
  if (spec.board === 'weapon' && (spec.weapon === null || spec.weapon.trim() === '')) {
    return 'The weapon board needs a weapon: fill in the `weapon` option (it lists the weapons seen).';
  }
  return null;
}

/** `Main · this season`, or `All game servers · all time`. */
async function scopeWords(guild: GuildStore, spec: BoardSpec): Promise<string> {
  const server = spec.serverId === null ? null : await findServer(guild, spec.serverId);
  return `${server ? server.name : 'All game servers'} · ${PERIOD_WORDS[spec.period]}`;
}

/** The board's embed: the top 10 from the store's aggregation. Throws UserError for what cannot be shown. */
export async function renderBoard(guild: GuildStore, spec: BoardSpec, now: number): Promise<APIEmbed> {
  const why = unsupported(spec);
  if (why !== null) throw new UserError(why);
  const scope = await scopeWords(guild, spec);
  if (spec.period === 'previous-season') return renderPreviousSeason(guild, spec, scope, now);
  const def = BOARDS[spec.board];
  const rows = await storeInput(guild.stats.leaderboard({
    metric: def.metric, period: spec.period, now,
    ...(spec.serverId === null ? {} : { serverId: spec.serverId }),
    ...(spec.weapon === null ? {} : { weapon: spec.weapon.trim() }),
  }));
  const title = spec.board === 'weapon' ? `${def.title} ${spec.weapon?.trim() ?? ''}` : def.title;
  if (rows.length === 0) throw new UserError(`Nobody is on the "${title}" board for ${scope} yet: no one has a figure there. Try a longer period or another server.`);
  return leaderboardEmbed({ title, scope, rows, unit: def.unit });
}

/** The last season's top 3 of each board the day documents keep (a server's season ends at its wipe). */
async function renderPreviousSeason(guild: GuildStore, spec: BoardSpec, scope: string, now: number): Promise<APIEmbed> {
  const serverIds = spec.serverId === null ? (await guild.servers.list()).map((s) => s.id) : [spec.serverId];
  const wiped = await Promise.all(serverIds.map(async (id) => (await guild.seasons.list(id)).some((s) => s.startsAt <= now)));
  if (!wiped.some(Boolean)) throw new UserError(`There is no previous season for ${scope.split(' · ')[0] ?? 'these servers'} yet: a season ends when an admin wipes the server with /server wipe.`);
  const boards = await Promise.all(SEASON_BOARDS.map(async (board) => ({
    title: BOARDS[board].title, unit: BOARDS[board].unit,
    rows: await storeInput(guild.stats.leaderboard({ metric: BOARDS[board].metric, period: 'previous-season', now, limit: 3, ...(spec.serverId === null ? {} : { serverId: spec.serverId }) })),
  })));
  return previousSeasonEmbed({ scope, boards, footer: 'streaks are all time only' });
}
