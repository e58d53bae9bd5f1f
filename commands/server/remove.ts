import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { askFirstRow, serverOfConfirm } from './ask-first.js';
import { customId } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { serverKey } from '../../src/ingest/scheduler.js';
import type { ServerArgs } from '../server.js';
import { guildAndServer, serverMeta } from './find-server.js';

/** Asks first: removing deletes every figure of the server. */
export async function askRemove(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: ServerArgs<'remove'>): Promise<void> {
  const { server } = await guildAndServer(ctx, interaction.guildId, args.server);
  await interaction.editReply({
    content: `Remove **${server.name}**? Reading it stops, and its figures, read positions and online list are deleted. This cannot be undone.`,
    components: [askFirstRow(
      { label: 'Remove it', customId: customId('server', 'remove', server.id) },
      { label: 'Keep it', customId: customId('server', 'keep', server.id) },
    )],
  });
}

/**
 * Confirmed: its history run is cancelled, its ticks stop, then its data is deleted under the
 * server's lock, so a tick still running finishes before the delete and writes nothing after it.
 */
export async function confirmRemove(interaction: ButtonInteraction<'cached'>, ctx: CommandContext, serverId: string): Promise<void> {
  const server = await serverOfConfirm(interaction, ctx, serverId);
  if (!server) return;
  const guild = ctx.store.guild(interaction.guildId);
  ctx.history.running(server.id)?.cancel();
  ctx.watcher.unwatch(server.id);
  await ctx.pool.runIo(() => guild.servers.remove(server.id), { label: 'remove-server', key: serverKey(server.id), exclusive: true, priority: 'HIGH', meta: serverMeta(server) });
  await interaction.editReply({ content: `Removed **${server.name}**: it is no longer read, and its figures are deleted.`, components: [] });
}

export async function keepServer(interaction: ButtonInteraction<'cached'>): Promise<void> {
  await interaction.update({ content: 'Nothing was removed.', components: [] });
}
