import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type ButtonInteraction } from 'discord.js';
import type { CommandContext } from '../../src/discord/context.js';
import type { GameServer } from '../../src/store/index.js';

/**
 * The two buttons of a question that changes or deletes figures (remove, a fresh history run, a
 * wipe): the red one does it, the grey one leaves everything as it is.
 */
export function askFirstRow(yes: { label: string; customId: string }, no: { label: string; customId: string }): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: yes.label, custom_id: yes.customId },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: no.label, custom_id: no.customId },
    ],
  };
}

/**
 * The game server a confirm button was for, after acknowledging the click; null (and the question
 * answered) when it was removed meanwhile.
 */
export async function serverOfConfirm(interaction: ButtonInteraction<'cached'>, ctx: CommandContext, serverId: string): Promise<GameServer | null> {
  await interaction.deferUpdate();
  const server = await ctx.store.guild(interaction.guildId).servers.get(serverId);
  if (!server) await interaction.editReply({ content: 'That game server is no longer here (removed?): nothing was done.', components: [] });
  return server;
}
