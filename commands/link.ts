import { ApplicationCommandOptionType, escapeMarkdown } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import { playerChoices } from '../src/discord/autocomplete.js';
import { readArgs } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import { StoreInputError, type GuildStore } from '../src/store/index.js';
import { findPlayer, playerById, type Player } from './player/find-player.js';

const data = {
  name: 'link',
  description: 'Links you to your in-game player, so /stats and /compare know you',
  options: [
    { type: ApplicationCommandOptionType.String, name: 'player', description: 'Your in-game player (pick from the list)', required: true, autocomplete: true, max_length: 100 },
  ],
} as const satisfies CommandData;

/**
 * Links the member to the player, replacing their earlier link. An EOS id belongs to at most one
 * member per guild (the store's unique index decides, so two members racing cannot both win): the
 * refusal names who holds it and who can free it.
 */
async function linkMember(guild: GuildStore, userId: string, player: Player): Promise<void> {
  try {
    await guild.links.link(userId, player.playerId);
  } catch (error) {
    if (!(error instanceof StoreInputError)) throw error;
    const holder = await guild.links.byEosId(player.playerId);
    const who = holder ? `<@${holder.discordUserId}>` : 'another member';
    throw new UserError(`${escapeMarkdown(player.name)} is already linked to ${who}. If that is not them, ask them to run /unlink, `
      + 'or ask an admin (Manage Server) to run /unlink with their name.');
  }
}

export default {
  data,
  access: 'everyone',
  acknowledge: 'defer-ephemeral',
  async execute(interaction, ctx) {
    const args = readArgs(interaction, data);
    const guild = ctx.store.guild(interaction.guildId);
    const player = await findPlayer(guild, args.player);
    const before = await guild.links.byUser(interaction.user.id);
    if (before?.eosId === player.playerId) {
      await interaction.editReply({ content: `You are already linked to **${escapeMarkdown(player.name)}** (\`${player.playerId}\`).` });
      return;
    }
    await linkMember(guild, interaction.user.id, player);
    const earlier = before ? await playerById(guild, before.eosId) : null;
    const replaced = before ? ` It replaces your link to **${escapeMarkdown(earlier?.name ?? before.eosId)}**.` : '';
    await interaction.editReply({
      content: `Linked you to **${escapeMarkdown(player.name)}** (\`${player.playerId}\`): /stats and /compare now use it when you name no one.${replaced}`,
    });
  },
  autocomplete: (interaction, ctx) => playerChoices(ctx.store.guild(interaction.guildId), String(interaction.options.getFocused())),
} satisfies SlashCommand<typeof data>;
