import { escapeMarkdown } from 'discord.js';
import { truncate } from '../../discord/format/index.js';

/**
 * Deadside names run to about 30 characters; a longer one is cut here, before escaping, so a cut
 * never splits an escape and one odd name cannot push the weapon and distance out of the embed.
 */
const NAME_MAX = 64;

/**
 * A player's name as literal text inside an embed: every markdown character escaped, so `*_~|>`,
 * backticks, `#`, `-` list starts and `[x](y)` links show as typed instead of formatting the line.
 * escapeMarkdown leaves single `|` and `~`, and `<`/`>` (quotes, mentions), so those are escaped here
 * after it (it doubles backslashes first, so ours are never doubled again).
 */
export function escapeName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return 'Unknown player';
  const escaped = escapeMarkdown(truncate(trimmed, NAME_MAX), {
    spoiler: false, strikethrough: false, heading: true, bulletedList: true, numberedList: true, maskedLink: true,
  });
  return escaped.replace(/[|~<>]/g, '\\$&');
}

/** What the death log's platform column means to a member; unknown values shown as written. */
const PLATFORMS: Readonly<Record<string, string>> = { PS5: 'PS5', PS4: 'PS4', XSX: 'Xbox', XBOX: 'Xbox', PC: 'PC', WIN64: 'PC', STEAM: 'PC' };

/** ` (PS5)` after a name, or nothing when the row (7-field format) or the log does not say. */
export function platformTag(platform: string | null | undefined): string {
  const raw = platform?.trim() ?? '';
  if (raw === '') return '';
  return ` (${PLATFORMS[raw.toUpperCase()] ?? escapeName(truncate(raw, 12))})`;
}

/** A bold player name with its platform: `**Name** (PS5)`. */
export function playerLabel(name: string, platform?: string | null): string {
  return `**${escapeName(name)}**${platformTag(platform)}`;
}

/** Weapon names come from the game's files, but are escaped all the same (e.g. `Woodcutter's Axe` is fine, `*` would not be). */
export function weaponLabel(weapon: string): string {
  return escapeName(weapon === '' ? 'unknown weapon' : weapon);
}
