import { ApplicationCommandOptionType, escapeMarkdown } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import { playerStatsEmbed } from '../src/discord/format/player-stats.js';
import { readArgs } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import { playerOrMember } from './player/find-player.js';
import { chooseScope, periodOption, playerCommandChoices, serverOption } from './player/scope.js';

const data = {
  name: 'stats',
  description: 'A player\'s kills, deaths, KD, streaks, favourite weapon, nemesis and prey',
  options: [
    { type: ApplicationCommandOptionType.String, name: 'player', description: 'The in-game player (pick from the list; default: the one you linked)', autocomplete: true, max_length: 100 },
    { type: ApplicationCommandOptionType.User, name: 'member', description: 'A Discord member who linked their player with /link' },
    serverOption,
    periodOption,
  ],
} as const satisfies CommandData;

export default {
  data,
  access: 'everyone',
  async execute(interaction, ctx) {
    const args = readArgs(interaction, data);
    const guild = ctx.store.guild(interaction.guildId);
    const { scope, period, words } = await chooseScope(guild, args.server, args.period);
    const player = await playerOrMember(guild, { player: args.player, member: args.member, self: interaction.user, optionNames: ['player', 'member'] });
    const stats = await guild.stats.player(player.playerId, scope);
    if (!stats) throw new UserError(`${escapeMarkdown(player.name)} has no figures for ${words}. Try another period or server.`);
    // Streaks are kept for all time only: a period shows the all-time ones, labelled so.
    const allTime = period === 'all' ? stats : await guild.stats.player(player.playerId, { ...scope, period: 'all' });
    const streaks = allTime && allTime.bestStreak !== null ? { best: allTime.bestStreak, current: allTime.streak ?? 0 } : null;
    await interaction.editReply({ embeds: [playerStatsEmbed(stats, { scope: words, streaks, allTime: period === 'all' })] });
  },
  autocomplete: playerCommandChoices,
} satisfies SlashCommand<typeof data>;
