import {
  ComponentType, MessageFlags, TextInputStyle,
  type APIActionRowComponent, type APITextInputComponent, type ChatInputCommandInteraction, type ModalSubmitInteraction,
} from 'discord.js';
import { customId } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { UserError } from '../../src/discord/user-error.js';
import type { NewGameServer } from '../../src/store/index.js';
import type { ServerArgs } from '../server.js';
import { describeConnection, runConnectionCheck } from './connection.js';
import { storeInput } from './find-server.js';

const AGAIN = 'Run `/server add` again to fill in the form.';

interface InputOptions { required: boolean; max: number; value?: string; long?: boolean; placeholder?: string }

function input(id: string, label: string, o: InputOptions): APIActionRowComponent<APITextInputComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [{
      type: ComponentType.TextInput, custom_id: id, label, required: o.required, max_length: o.max,
      style: o.long === true ? TextInputStyle.Paragraph : TextInputStyle.Short,
      ...(o.value === undefined ? {} : { value: o.value }), ...(o.placeholder === undefined ? {} : { placeholder: o.placeholder }),
    }],
  };
}

/** Shows the login form; the server's name travels in the form's custom id. */
export async function showAddForm(interaction: ChatInputCommandInteraction<'cached'>, args: ServerArgs<'add'>): Promise<void> {
  await interaction.showModal({
    custom_id: customId('server', 'add', args.name),
    title: 'SFTP login of the game server',
    components: [
      input('host', 'Host', { required: true, max: 253, placeholder: 'the address your game host gave, e.g. 203.0.113.5' }),
      input('port', 'Port', { required: true, max: 5, value: '22' }),
      input('username', 'User name', { required: true, max: 128 }),
      input('password', 'Password (or leave empty and give a key)', { required: false, max: 1024 }),
      input('private-key', 'Private key (instead of a password)', { required: false, max: 4000, long: true, placeholder: '-----BEGIN OPENSSH PRIVATE KEY-----' }),
    ],
  });
}

/**
 * The submitted form: checked, stored (the secret sealed by the store), watched at once, then
 * connected to, and what the connection found (or why it failed) is the answer. No form value is
 * echoed or logged.
 */
export async function submitAddForm(interaction: ModalSubmitInteraction<'cached'>, ctx: CommandContext, name: string): Promise<void> {
  const login = readLoginForm(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const guild = ctx.store.guild(interaction.guildId);
  if (await guild.servers.findByName(name)) throw new UserError(`A game server named "${name}" already exists here. Pick another name, or change that one with \`/server edit\`.`);
  const server = await storeInput(guild.servers.add({ name, ...login }));
  await ctx.watcher.watch(guild, server);
  const report = await runConnectionCheck(ctx, guild, server);
  const watching = report.ok ? 'The bot reads it from now on.' : 'The bot keeps trying on its schedule; `/server test` checks again once it is fixed.';
  await interaction.editReply({ content: `Added **${server.name}**. ${watching}\n${describeConnection(report)}` });
}

/** The form's values, each bad one refused in words that name the field. */
function readLoginForm(interaction: ModalSubmitInteraction<'cached'>): Required<Pick<NewGameServer, 'host' | 'port' | 'username'>> & Pick<NewGameServer, 'password' | 'privateKey'> {
  const field = (id: string): string => interaction.fields.getTextInputValue(id).trim();
  const portText = field('port');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UserError(`The port "${portText}" is not a port number: give a whole number from 1 to 65535 (SFTP is usually 22; some game hosts use 8822). ${AGAIN}`);
  }
  const password = interaction.fields.getTextInputValue('password');
  const privateKey = field('private-key');
  if (password === '' && privateKey === '') {
    throw new UserError(`The form had neither a password nor a private key: the SFTP login needs one of them. ${AGAIN}`);
  }
  return {
    host: field('host'), port, username: field('username'),
    ...(password === '' ? {} : { password }), ...(privateKey === '' ? {} : { privateKey }),
  };
}
