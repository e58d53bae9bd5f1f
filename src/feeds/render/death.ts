import type { APIEmbed } from 'discord.js';
import type { DeathEvent } from '../../../parsers/index.js';
import { buildEmbed, type EmbedField } from '../../discord/format/index.js';
import { COLOURS } from './colours.js';
import { playerLabel, weaponLabel } from './names.js';
import { timestampOf } from './time.js';

/**
 * A long shot: 300 m and up. In the four real fixture logs (1,549 PvP kills) the median kill is 11 m,
 * the 99th percentile 188 m and the longest 374 m; 3 kills reach 300 m, so the highlight stays rare.
 */
export const LONG_SHOT_METRES = 300;

/** Streaks are celebrated at 5, 10, 15, 20...: often enough to matter, rarely enough to stand out. */
export const STREAK_STEP = 5;

/** What the killfeed knows besides the row itself. */
export interface DeathContext {
  serverName: string;
  /** The killer's streak including this kill; null when not known. Only read for PvP kills. */
  killerStreak: number | null;
}

/** Explosives seen in real logs: a suicide with one of these is a blast, not a generic suicide. */
const EXPLOSIVES = new Set(['r-5', 'f-10', 'f-57', 'dynamite', 'stronger explosive charge', 'explosive charge', 'grm-40', 'rpg-7']);

/** Vehicle kills are PvP kills with the vehicle as the weapon; they read as what happened. */
const VEHICLES: Readonly<Record<string, { verb: string; weapon: string }>> = {
  land_vehicle: { verb: 'ran over', weapon: 'a vehicle' },
  boat: { verb: 'ran down', weapon: 'a boat' },
};

/** Whether a streak is one of the milestones the feed celebrates. */
export function isStreakMilestone(streak: number | null): streak is number {
  return streak !== null && streak >= STREAK_STEP && streak % STREAK_STEP === 0;
}

/** The killfeed embed for one death-log row: its own wording per kind, within Discord's limits. */
export function renderDeath(event: DeathEvent, ctx: DeathContext): APIEmbed {
  const common = { footer: ctx.serverName, ...timestampOf(event.time) };
  switch (event.kind) {
    case 'kill': return buildEmbed({ ...common, ...killDraft(event, ctx.killerStreak) });
    case 'suicide': return buildEmbed({ ...common, ...suicideDraft(event) });
    case 'environment': {
      const cause = event.weapon === '' ? '' : ` (${weaponLabel(event.weapon)})`;
      return buildEmbed({ ...common, title: 'Died', color: COLOURS.environment, description: `${victimOf(event)} died with no one to blame${cause}` });
    }
  }
}

function killDraft(event: DeathEvent, streak: number | null): { title: string; color: number; description: string; fields: EmbedField[] } {
  const vehicle = VEHICLES[event.weapon.toLowerCase()];
  const killer = playerLabel(event.killerName, event.killerPlatform);
  const victim = victimOf(event);
  const description = vehicle === undefined
    ? `${killer} killed ${victim}`
    : `${killer} ${vehicle.verb} ${victim} with ${vehicle.weapon}`;
  const fields: EmbedField[] = [
    { name: 'Weapon', value: vehicle === undefined ? weaponLabel(event.weapon) : capitalise(vehicle.weapon), inline: true },
    { name: 'Distance', value: `${event.distance} m`, inline: true },
  ];
  if (streak !== null) fields.push({ name: 'Streak', value: String(streak), inline: true });
  const longShot = event.distance >= LONG_SHOT_METRES;
  const milestone = isStreakMilestone(streak);
  const highlights = [longShot ? `Long shot: ${event.distance} m` : '', milestone ? `${streak} kills in a row` : ''].filter((h) => h !== '');
  const color = longShot ? COLOURS.longShot : milestone ? COLOURS.streak : vehicle === undefined ? COLOURS.kill : COLOURS.vehicle;
  return { title: highlights.length === 0 ? 'Kill' : highlights.join(' · '), color, description, fields };
}

function suicideDraft(event: DeathEvent): { title: string; color: number; description: string } {
  const player = victimOf(event);
  switch (event.suicideCause) {
    case 'relocation': return { title: 'Relocated', color: COLOURS.relocation, description: `${player} relocated` };
    case 'fall': return { title: 'Fell', color: COLOURS.fall, description: `${player} fell to their death` };
    default: {
      const blast = EXPLOSIVES.has(event.weapon.toLowerCase());
      const description = event.weapon === ''
        ? `${player} took their own life`
        : `${player} ${blast ? 'blew themselves up with' : 'killed themselves with'} ${weaponLabel(event.weapon)}`;
      return { title: 'Suicide', color: COLOURS.suicide, description };
    }
  }
}

function victimOf(event: DeathEvent): string {
  return playerLabel(event.victimName, event.victimPlatform);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
