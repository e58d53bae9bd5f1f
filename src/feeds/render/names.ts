import { truncate } from '../../discord/format/index.js';

/**
 * Deadside names run to about 30 characters; a longer one is cut here, before escaping, so a cut
 * never splits an escape and one odd name cannot push the weapon and distance out of the embed.
 */
const NAME_MAX = 64;

/**
 * A player's name as literal text inside an embed: every character that can start markdown gets a
 * backslash, so `*_~|>`, backticks, `<@mentions>`, `[links]` and `\` show as typed. Discord reads
 * `\` before any punctuation as "this character, plainly". discord.js's escapeMarkdown was the first
 * choice, but it leaves single `|`, `~`, `<`, `>` and underscores inside URLs, and a name is never
 * markdown, so a total escape is simpler and provably complete (a property test checks it).
 */
export function escapeName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return 'Unknown player';
  return truncate(trimmed, NAME_MAX).replace(/[\\*_~|`<>[\]]/g, '\\$&');
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
