import { MessageFlags, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import { customId } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { UserError } from '../../src/discord/user-error.js';
import type { ServerArgs } from '../server.js';
import { describeConnection, runConnectionCheck, withinMessage } from './connection.js';
import { guildAndServer, storeInput, underSettingsLock } from './find-server.js';
import { readLoginForm, showLoginForm } from './login-form.js';

/** The edit options that change settings; `login` shows a form and cannot be mixed with them. */
const SETTINGS = ['name', 'port', 'death-logs-path', 'server-log-path', 'poll-seconds', 'enabled'] as const;

/**
 * `/server edit login:True`: the login form, answered at once (a form cannot follow a deferral), so
 * the server is looked up when the form comes back, by the option's value in the form's custom id.
 */
export async function showNewLoginForm(interaction: ChatInputCommandInteraction<'cached'>, args: ServerArgs<'edit'>): Promise<void> {
  if (SETTINGS.some((option) => args[option] !== null)) {
    throw new UserError('`login:True` opens the login form on its own: run `/server edit` once for the login and once for the other settings.');
  }
  await showLoginForm(interaction, customId('server', 'login', args.server));
}

/**
 * A new login for a server, in place of the old one: stored (secrets sealed), the host key pin forgotten (whoever types the
 * login again trusts the key the host shows now), watched with it, and connected to at once.
 */
export async function submitNewLogin(interaction: ModalSubmitInteraction<'cached'>, ctx: CommandContext, serverValue: string): Promise<void> {
  const login = readLoginForm(interaction, 'Run `/server edit login:True` again to fill in the form.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { guild, server } = await guildAndServer(ctx, interaction.guildId, serverValue);
  if (server.localPath !== null) throw new UserError(`**${server.name}** is read from a folder on the bot's machine: it has no login.`);
  const updated = await underSettingsLock(ctx, server, 'set-login', async () => {
    // The whole login is replaced: a secret left out of the form is removed, not kept from before.
    const stored = await storeInput(guild.servers.setLogin(server.id, login));
    await ctx.watcher.watch(guild, stored);
    return stored;
  });
  const report = await runConnectionCheck(ctx, guild, updated);
  await interaction.editReply({ content: withinMessage(`Saved the new login of **${updated.name}**.\n${describeConnection(report)}`) });
}
