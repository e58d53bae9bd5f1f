import {
  ComponentType, TextInputStyle,
  type APIActionRowComponent, type APITextInputComponent, type ChatInputCommandInteraction, type ModalSubmitInteraction,
} from 'discord.js';
import { UserError } from '../../src/discord/user-error.js';
import type { NewGameServer } from '../../src/store/index.js';

/** What the login form gives: where to connect and as whom, with a password or a key (and the key's passphrase). */
export type Login = Required<Pick<NewGameServer, 'host' | 'port' | 'username'>> & Pick<NewGameServer, 'password' | 'privateKey' | 'passphrase'>;

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

/** Shows the SFTP login form (host, port, user, password or key and its passphrase); `id` routes its submit back. */
export async function showLoginForm(interaction: ChatInputCommandInteraction<'cached'>, id: string): Promise<void> {
  await interaction.showModal({
    custom_id: id,
    title: 'SFTP login of the game server',
    components: [
      input('host', 'Host', { required: true, max: 253, placeholder: 'the address your game host gave, e.g. 203.0.113.5' }),
      input('port', 'Port', { required: true, max: 5, value: '22' }),
      input('username', 'User name', { required: true, max: 128 }),
      // A form has at most 5 rows: with a key, this field is the key's passphrase.
      input('password', 'Password, or the private key\'s passphrase', { required: false, max: 1024, placeholder: 'with a key below: its passphrase (empty if it has none)' }),
      input('private-key', 'Private key (instead of a password)', { required: false, max: 4000, long: true, placeholder: '-----BEGIN OPENSSH PRIVATE KEY-----' }),
    ],
  });
}

/** The submitted form's values, each bad one refused in words that name the field and say how to try again. */
export function readLoginForm(interaction: ModalSubmitInteraction<'cached'>, again: string): Login {
  const field = (id: string): string => interaction.fields.getTextInputValue(id).trim();
  const portText = field('port');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UserError(`The port "${portText}" is not a port number: give a whole number from 1 to 65535 (SFTP is usually 22; some game hosts use 8822). ${again}`);
  }
  // Kept as typed: spaces may belong to a password.
  const password = interaction.fields.getTextInputValue('password');
  const privateKey = field('private-key');
  if (password === '' && privateKey === '') {
    throw new UserError(`The form had neither a password nor a private key: the SFTP login needs one of them. ${again}`);
  }
  const secrets = privateKey === '' ? { password } : { privateKey, ...(password === '' ? {} : { passphrase: password }) };
  return { host: field('host'), port, username: field('username'), ...secrets };
}
