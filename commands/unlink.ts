import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import { readArgs } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import { escapeMarkdown } from 'discord.js';
import { playerById } from './player/find-player.js';

const data = {
  name: 'unlink',
  description: 'Removes your link to an in-game player (admins: anyone\'s)',
  options: [
    { type: ApplicationCommandOptionType.User, name: 'member', description: 'Admins (Manage Server): the member to unlink (default: yourself)' },
  ],
} as const satisfies CommandData;

export default {
  data,
  // Everyone may unlink themself; unlinking another member needs Manage Server, checked here in code.
  access: 'everyone',
  acknowledge: 'defer-ephemeral',
  async execute(interaction, ctx) {
    const { member } = readArgs(interaction, data);
    const self = member === null || member.id === interaction.user.id;
    if (!self && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError('Only members with the Manage Server permission can unlink someone else. To unlink yourself, run /unlink without a member.');
    }
    const userId = member?.id ?? interaction.user.id;
    const guild = ctx.store.guild(interaction.guildId);
    const { links } = guild;
    const link = await links.byUser(userId);
    const who = self ? 'You' : `<@${userId}>`;
    if (!link || !(await links.unlink(userId))) {
      await interaction.editReply({ content: `${who} ${self ? 'have' : 'has'} no linked player here: nothing to unlink.` });
      return;
    }
    await interaction.editReply({
      content: `${self ? 'You are' : `<@${userId}> is`} no longer linked to **${escapeMarkdown((await playerById(guild, link.eosId))?.name ?? link.eosId)}**.`
        + (self ? ' Link again with /link.' : ''),
      allowedMentions: { parse: [] },
    });
  },
} satisfies SlashCommand<typeof data>;
