import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../../src/discord/context.js';
import type { ServerArgs } from '../server.js';
import { describeConnection, runConnectionCheck, withinMessage } from './connection.js';
import { guildAndServer } from './find-server.js';

/** Connects as the ticks do and tells what it found, or exactly what failed and what to do. */
export async function testServer(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: ServerArgs<'test'>): Promise<void> {
  const { guild, server } = await guildAndServer(ctx, interaction.guildId, args.server);
  const report = await runConnectionCheck(ctx, guild, server);
  await interaction.editReply({ content: withinMessage(`**${server.name}**: ${describeConnection(report)}`) });
}
