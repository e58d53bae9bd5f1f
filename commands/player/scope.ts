import { ApplicationCommandOptionType, type ApplicationCommandOptionChoiceData, type AutocompleteInteraction } from 'discord.js';
import type { CommandContext } from '../../src/discord/context.js';
import { PERIOD_WORDS } from '../../src/discord/format/period-words.js';
import { playerChoices, serverChoices } from '../../src/discord/autocomplete.js';
import type { GuildStore, Period, StatsScope } from '../../src/store/index.js';
import { findServer } from '../server/find-server.js';

/** The `server` option of the player commands: one of the guild's game servers, all of them by default. */
export const serverOption = {
  type: ApplicationCommandOptionType.String, name: 'server', description: 'Only this game server (default: all of this Discord server\'s)',
  autocomplete: true, max_length: 80,
} as const;

/** The `period` option: whole UTC days ending today, or all time (the default). */
export const periodOption = {
  type: ApplicationCommandOptionType.String, name: 'period', description: 'Which days count (default: all time)',
  choices: [
    { name: 'today', value: 'day' }, { name: 'last 7 days', value: 'week' },
    { name: 'last 30 days', value: 'month' }, { name: 'this season (since the last wipe)', value: 'season' }, { name: 'all time', value: 'all' },
  ],
} as const;


/** What the figures cover, for the store and in words (`EU 1 · last 7 days`). */
export interface ScopeChoice {
  scope: StatsScope;
  period: Period | 'season';
  words: string;
}

/** The scope the `server` and `period` options name; another guild's server is as unknown as a made-up one. */
export async function chooseScope(guild: GuildStore, server: string | null, period: Period | 'season' | null): Promise<ScopeChoice> {
  const chosen = period ?? 'all';
  const found = server === null ? null : await findServer(guild, server);
  const scope: StatsScope = { period: chosen, ...(found ? { serverId: found.id } : {}) };
  // Each server's season runs from its own last wipe (/server wipe); one never wiped, from its first kill.
  if (chosen === 'season') scope.seasonRanges = await guild.seasons.ranges('current', Date.now(), found?.id);
  return { scope, period: chosen, words: `${found ? found.name : 'All game servers'} · ${PERIOD_WORDS[chosen]}` };
}

/** Autocomplete of the player commands: the guild's servers for `server`, its players for every other option. */
export function playerCommandChoices(interaction: AutocompleteInteraction<'cached'>, ctx: CommandContext): Promise<ApplicationCommandOptionChoiceData[]> {
  const focused = interaction.options.getFocused(true);
  const guild = ctx.store.guild(interaction.guildId);
  return focused.name === 'server' ? serverChoices(guild, focused.value) : playerChoices(guild, focused.value);
}
