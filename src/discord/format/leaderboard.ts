import type { APIEmbed } from 'discord.js';
import type { LeaderboardRow } from '../../store/index.js';
import { buildEmbed } from './embed.js';
import { formatKd, shownName } from './player-stats.js';

const COLOUR = 0xd4ac0d;
const MEDALS = ['🥇', '🥈', '🥉'];

/** How a board's figure reads: `42 kills`, `KD 2.50 (10/4)`, `312 m`. */
export type BoardUnit = 'kills' | 'deaths' | 'kd' | 'metres' | 'streak';

const count = (n: number): string => n.toLocaleString('en-US');

/** One row's figure in the board's unit. */
export function boardValue(row: LeaderboardRow, unit: BoardUnit): string {
  switch (unit) {
    case 'kills': return `${count(row.value)} ${row.value === 1 ? 'kill' : 'kills'}`;
    case 'deaths': return `${count(row.value)} ${row.value === 1 ? 'death' : 'deaths'}`;
    case 'kd': return `KD ${formatKd(row.kd)} (${count(row.kills)}/${count(row.deaths)})`;
    case 'metres': return `${count(row.value)} m`;
    case 'streak': return `${count(row.value)} in a row`;
  }
}

/** The ranked lines of a board: medal or rank, the name (markdown escaped, cut), the figure. */
export function boardLines(rows: readonly LeaderboardRow[], unit: BoardUnit): string[] {
  return rows.map((r) => `${MEDALS[r.rank - 1] ?? `\`${String(r.rank).padStart(2)}.\``} **${shownName(r.name)}** · ${boardValue(r, unit)}`);
}

/** A top-10 board: the title names the board, the footer what the figures cover. */
export function leaderboardEmbed(o: { title: string; scope: string; rows: readonly LeaderboardRow[]; unit: BoardUnit; footer?: string }): APIEmbed {
  return buildEmbed({
    title: o.title, color: COLOUR, description: boardLines(o.rows, o.unit).join('\n'),
    footer: [o.scope, o.footer].filter((t) => t !== undefined && t !== '').join(' · '),
  });
}

/** The previous season's top 3 of each board, one field per board. */
export function previousSeasonEmbed(o: { scope: string; boards: readonly { title: string; rows: readonly LeaderboardRow[]; unit: BoardUnit }[]; footer?: string }): APIEmbed {
  return buildEmbed({
    title: 'Last season\'s top 3', color: COLOUR,
    fields: o.boards.map((b) => ({ name: b.title, value: b.rows.length > 0 ? boardLines(b.rows, b.unit).join('\n') : 'nobody' })),
    footer: [o.scope, o.footer].filter((t) => t !== undefined && t !== '').join(' · '),
  });
}
