import { escapeMarkdown, type User } from 'discord.js';
import { UserError } from '../../src/discord/user-error.js';
import type { GuildStore, PlayerMatch } from '../../src/store/index.js';

/** An EOS id as the death logs write it: 32 hex characters (autocomplete's value). */
const EOS_ID = /^[0-9a-f]{32}$/i;
/** A member mention typed into a player option (`<@123...>`), as Discord's client inserts it. */
const MENTION = /^<@!?(\d{17,20})>$/;
/** Candidates named in an "ambiguous" or "did you mean" answer. */
const NAMED = 5;

/** A player as the commands name them: EOS id and latest name. */
export type Player = PlayerMatch;

/** `name` (start of the EOS id), markdown escaped: how a candidate is shown so two namesakes differ. */
function candidate(p: Player): string {
  return `${escapeMarkdown(p.name)} (${p.playerId.slice(0, 8)})`;
}

/** The player with this EOS id as the guild's figures name them; null when no figures name them. */
export async function playerById(guild: GuildStore, eosId: string): Promise<Player | null> {
  const name = (await guild.stats.names([eosId])).get(eosId);
  return name === undefined ? null : { playerId: eosId, name };
}

/**
 * The player a `player` option names: the EOS id autocomplete put there, an EOS id typed in full, or
 * a name typed without picking, which must be exactly one player's (any case if no exact match).
 * Only this guild's players are found.
 */
export async function findPlayer(guild: GuildStore, value: string): Promise<Player> {
  const text = value.trim();
  if (text === '') throw new UserError('Name a player: start typing their in-game name and pick them from the list.');
  if (EOS_ID.test(text)) {
    const id = text.toLowerCase();
    const found = await playerById(guild, id);
    if (!found) throw new UserError(`No player with the EOS id \`${id}\` has figures on this Discord server's game servers.`);
    return found;
  }
  const matches = await guild.stats.searchPlayers(text, 25);
  const exact = matches.filter((p) => p.name === text);
  const named = (exact.length > 0 ? exact : matches.filter((p) => p.name.toLowerCase() === text.toLowerCase()))
    .sort((a, b) => (a.playerId < b.playerId ? -1 : 1));
  const [only] = named;
  if (only && named.length === 1) return only;
  if (named.length > 1) {
    throw new UserError(`${named.length} players are called "${escapeMarkdown(text)}": ${named.slice(0, NAMED).map(candidate).join(', ')}. `
      + 'Pick the one you mean from the list as you type (it shows the start of each EOS id).');
  }
  const hint = matches.length > 0 ? ` Did you mean ${matches.slice(0, NAMED).map(candidate).join(', ')}?` : '';
  throw new UserError(`No player called "${escapeMarkdown(text)}" has figures on this Discord server's game servers.${hint} Pick a player from the list as you type.`);
}

/**
 * The player a Discord member linked with /link. `who` names them in the answer when there is no
 * link (null: the member asking, told how to link themself).
 */
export async function linkedPlayer(guild: GuildStore, userId: string, who: string | null): Promise<Player> {
  const link = await guild.links.byUser(userId);
  if (!link) {
    throw new UserError(who === null
      ? 'You have not linked your in-game player here yet. Link it with /link player:<your name>, or name a player in the command.'
      : `${who} has not linked an in-game player here. They can with /link, or name the player instead.`);
  }
  return (await playerById(guild, link.eosId)) ?? { playerId: link.eosId, name: link.eosId };
}

/** The options naming one side of a command, and whose link stands in when both are empty. */
export interface PlayerChoice {
  player: string | null;
  member: User | null;
  /** The member asking: their own link when nothing is named (omit to require a name). */
  self?: User;
  /** The two options' names, for the answers. */
  optionNames: readonly [string, string];
}

/**
 * The player one side of a command names: a `player` text (a name, an EOS id, or a typed member
 * mention), or a member option, or, when `self` is given and neither is, the asking member's link.
 */
export async function playerOrMember(guild: GuildStore, o: PlayerChoice): Promise<Player> {
  const [playerOption, memberOption] = o.optionNames;
  if (o.player !== null && o.member !== null) throw new UserError(`Give either ${playerOption} or ${memberOption}, not both.`);
  const whoIs = (id: string, label: string): string | null => (id === o.self?.id ? null : label);
  if (o.member) return linkedPlayer(guild, o.member.id, whoIs(o.member.id, escapeMarkdown(o.member.displayName)));
  if (o.player !== null) {
    const mentioned = MENTION.exec(o.player.trim())?.[1];
    return mentioned ? linkedPlayer(guild, mentioned, whoIs(mentioned, `<@${mentioned}>`)) : findPlayer(guild, o.player);
  }
  if (o.self) return linkedPlayer(guild, o.self.id, null);
  throw new UserError(`Name a player (${playerOption}) or a member (${memberOption}).`);
}
