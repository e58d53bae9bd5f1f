import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { GuildStore } from '../store/index.js';

/** Discord shows at most 25 choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_LENGTH = 100;

/**
 * The guild's game servers whose name contains what the member typed (any case), names first
 * that start with it. The value is the server's id, so a renamed server is still found.
 */
export async function serverChoices(guild: GuildStore, typed: string): Promise<ApplicationCommandOptionChoiceData<string>[]> {
  const text = typed.trim().toLowerCase();
  const servers = (await guild.servers.list()).filter((s) => s.name.toLowerCase().includes(text));
  const starts = (name: string): number => (name.toLowerCase().startsWith(text) ? 0 : 1);
  return servers.sort((a, b) => starts(a.name) - starts(b.name))
    .slice(0, MAX_CHOICES)
    .map((s) => ({ name: clip(s.enabled ? s.name : `${s.name} (paused)`), value: s.id }));
}

/** Players of the guild whose name (or EOS id) starts with what the member typed; the value is the EOS id. */
export async function playerChoices(guild: GuildStore, typed: string): Promise<ApplicationCommandOptionChoiceData<string>[]> {
  const players = await guild.stats.searchPlayers(typed, MAX_CHOICES);
  return players.map((p) => ({ name: clip(p.name === p.playerId ? p.playerId : `${p.name} (${p.playerId.slice(0, 8)})`), value: p.playerId }));
}

function clip(text: string): string {
  return text.length <= MAX_LENGTH ? text : `${text.slice(0, MAX_LENGTH - 1)}…`;
}
