import { escapeMarkdown, type APIEmbed } from 'discord.js';
import type { HeadToHead, PlayerStats } from '../../store/index.js';
import { buildEmbed, type EmbedField } from './embed.js';
import { truncate } from './text.js';

/** In-game names are at most a few dozen characters; a longer one is cut so a field keeps its shape. */
const NAME_MAX = 64;
const COLOUR = 0xc0392b;

const count = (n: number): string => n.toLocaleString('en-US');
const times = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** A player's name as shown in an embed: cut to a sane length, Discord markdown (`_`, `*`...) escaped. */
export function shownName(name: string): string {
  return escapeMarkdown(truncate(name, NAME_MAX));
}

/** KD ratio as shown: kills / max(deaths, 1), two decimals. */
export function formatKd(kd: number): string {
  return kd.toFixed(2);
}

/** A player's streaks, all time (the store keeps streaks only for all time). */
export interface Streaks {
  best: number;
  current: number;
}

function rival(p: PlayerStats['nemesis']): string {
  return p ? `${shownName(p.name)} (${times(p.kills, 'kill')})` : 'none';
}

function favourite(stats: PlayerStats): string {
  const [top] = stats.weapons;
  return top ? `${escapeMarkdown(truncate(top.weapon, NAME_MAX))} (${times(top.kills, 'kill')})` : 'none';
}

/**
 * `/stats`: one player's figures within a scope. `streaks` are all time whatever the period (`allTime`
 * false labels them so), null when the player has no all-time figures in the scope's servers.
 */
export function playerStatsEmbed(stats: PlayerStats, o: { scope: string; streaks: Streaks | null; allTime: boolean }): APIEmbed {
  const streakLabel = o.allTime ? '' : ' (all time)';
  const fields: EmbedField[] = [
    { name: 'Kills', value: count(stats.kills), inline: true },
    { name: 'Deaths', value: count(stats.deaths), inline: true },
    { name: 'KD', value: formatKd(stats.kd), inline: true },
    { name: 'Suicides', value: count(stats.suicides), inline: true },
    { name: 'Longest kill', value: `${count(stats.longestKill)} m`, inline: true },
    { name: 'Favourite weapon', value: favourite(stats), inline: true },
    { name: `Best streak${streakLabel}`, value: o.streaks ? count(o.streaks.best) : '-', inline: true },
    { name: `Current streak${streakLabel}`, value: o.streaks ? count(o.streaks.current) : '-', inline: true },
    { name: '\u200b', value: '\u200b', inline: true },
    { name: 'Nemesis (killed them most)', value: rival(stats.nemesis), inline: true },
    { name: 'Prey (they killed most)', value: rival(stats.prey), inline: true },
  ];
  return buildEmbed({ title: shownName(stats.name), description: `${o.scope}\nEOS id \`${stats.playerId}\``, color: COLOUR, fields });
}

/** One side of `/compare`: the player's figures and all-time best streak. */
export interface CompareSide {
  stats: PlayerStats;
  bestStreak: number | null;
}

function sideLines(side: CompareSide, allTime: boolean): string {
  const s = side.stats;
  return [
    `Kills **${count(s.kills)}**`,
    `Deaths **${count(s.deaths)}**`,
    `KD **${formatKd(s.kd)}**`,
    `Longest kill **${count(s.longestKill)} m**`,
    `Best streak${allTime ? '' : ' (all time)'} **${side.bestStreak === null ? '-' : count(side.bestStreak)}**`,
    `Favourite weapon **${favourite(s)}**`,
  ].join('\n');
}

/** `/compare`: two players side by side, and how often each killed the other in the scope. */
export function compareEmbed(a: CompareSide, b: CompareSide, h2h: HeadToHead, o: { scope: string; allTime: boolean }): APIEmbed {
  const [an, bn] = [shownName(a.stats.name), shownName(b.stats.name)];
  return buildEmbed({
    title: `${an} vs ${bn}`, description: o.scope, color: COLOUR,
    fields: [
      { name: an, value: sideLines(a, o.allTime), inline: true },
      { name: bn, value: sideLines(b, o.allTime), inline: true },
      { name: 'Head to head', value: `${an} killed ${bn} ${times(h2h.aKilledB, 'time')}\n${bn} killed ${an} ${times(h2h.bKilledA, 'time')}` },
    ],
  });
}
