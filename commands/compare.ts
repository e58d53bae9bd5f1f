import { ApplicationCommandOptionType, escapeMarkdown } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import type { CommandContext } from '../src/discord/context.js';
import { compareEmbed, type CompareSide } from '../src/discord/format/player-stats.js';
import { readArgs } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import type { GuildStore } from '../src/store/index.js';
import { playerOrMember, type Player } from './player/find-player.js';
import { chooseScope, periodOption, playerCommandChoices, serverOption, type ScopeChoice } from './player/scope.js';

const player = <const N extends string>(name: N, description: string) =>
  ({ type: ApplicationCommandOptionType.String, name, description, autocomplete: true, max_length: 100 }) as const;
const member = <const N extends string>(name: N, description: string) => ({ type: ApplicationCommandOptionType.User, name, description }) as const;

const data = {
  name: 'compare',
  description: 'Two players side by side, with how often each killed the other',
  options: [
    player('a', 'The first player (pick from the list; default: the one you linked)'),
    player('b', 'The second player (pick from the list)'),
    member('a-member', 'Or the first as a Discord member who used /link'),
    member('b-member', 'Or the second as a Discord member who used /link'),
    serverOption,
    periodOption,
  ],
} as const satisfies CommandData;

async function side(guild: GuildStore, p: Player, choice: ScopeChoice): Promise<CompareSide> {
  const stats = await guild.stats.player(p.playerId, choice.scope);
  if (!stats) throw new UserError(`${escapeMarkdown(p.name)} has no figures for ${choice.words}. Try another period or server.`);
  const allTime = choice.period === 'all' ? stats : await guild.stats.player(p.playerId, { ...choice.scope, period: 'all' });
  return { stats, bestStreak: allTime?.bestStreak ?? null };
}

export default {
  data,
  access: 'everyone',
  async execute(interaction, ctx: CommandContext) {
    const args = readArgs(interaction, data);
    const guild = ctx.store.guild(interaction.guildId);
    const choice = await chooseScope(guild, args.server, args.period);
    const a = await playerOrMember(guild, { player: args.a, member: args['a-member'], self: interaction.user, optionNames: ['a', 'a-member'] });
    const b = await playerOrMember(guild, { player: args.b, member: args['b-member'], optionNames: ['b', 'b-member'] });
    if (a.playerId === b.playerId) throw new UserError(`Both sides are ${escapeMarkdown(a.name)}: name two different players to compare.`);
    const [sa, sb, h2h] = await Promise.all([side(guild, a, choice), side(guild, b, choice), guild.stats.headToHead(a.playerId, b.playerId, choice.scope)]);
    await interaction.editReply({ embeds: [compareEmbed(sa, sb, h2h, { scope: choice.words, allTime: choice.period === 'all' })] });
  },
  autocomplete: playerCommandChoices,
} satisfies SlashCommand<typeof data>;
