import { MessageFlags, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import { customId } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { UserError } from '../../src/discord/user-error.js';
import type { ServerArgs } from '../server.js';
import { describeConnection, runConnectionCheck, withinMessage } from './connection.js';
import { storeInput } from './find-server.js';
import { readLoginForm, showLoginForm } from './login-form.js';

/** Shows the login form; the server's name travels in the form's custom id. */
export async function showAddForm(interaction: ChatInputCommandInteraction<'cached'>, args: ServerArgs<'add'>): Promise<void> {
  await showLoginForm(interaction, customId('server', 'add', args.name));
}

/**
 * The submitted form: checked, stored (the secret sealed by the store), watched at once, then
 * connected to, and what the connection found (or why it failed) is the answer. No form value is
 * echoed or logged.
 */
export async function submitAddForm(interaction: ModalSubmitInteraction<'cached'>, ctx: CommandContext, name: string): Promise<void> {
  const login = readLoginForm(interaction, 'Run `/server add` again to fill in the form.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const guild = ctx.store.guild(interaction.guildId);
  if (await guild.servers.findByName(name)) throw new UserError(`A game server named "${name}" already exists here. Pick another name, or change that one with \`/server edit\`.`);
  const server = await storeInput(guild.servers.add({ name, ...login }));
  await ctx.watcher.watch(guild, server);
  const report = await runConnectionCheck(ctx, guild, server);
  const watching = report.ok ? 'The bot reads it from now on.' : 'The bot keeps trying on its schedule; `/server test` checks again once it is fixed.';
  await interaction.editReply({ content: withinMessage(`Added **${server.name}**. ${watching}\n${describeConnection(report)}`) });
}
