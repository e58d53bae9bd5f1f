import { ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import { serverChoices } from '../src/discord/autocomplete.js';
import { readArgs, type ArgsOf } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import { showAddForm, submitAddForm } from './server/add.js';
import { editServer } from './server/edit.js';
import { cancelHistoryRun, confirmFresh, keepFigures, runHistoryCommand } from './server/history.js';
import { listServers } from './server/list.js';
import { showNewLoginForm, submitNewLogin } from './server/login.js';
import { askRemove, confirmRemove, keepServer } from './server/remove.js';
import { serverStatus } from './server/status.js';
import { testServer } from './server/test.js';
import { askWipe, confirmWipe, keepSeason } from './server/wipe.js';

/**
 * The `server` option of every subcommand but add and list: the guild's servers by name, the id as
 * value. At most 80 characters, so it fits in a form's custom id (Discord allows 100).
 */
const server = { type: ApplicationCommandOptionType.String, name: 'server', description: 'The game server (pick from the list)', required: true, autocomplete: true, max_length: 80 } as const;

const data = {
  name: 'server',
  description: 'The game servers this Discord server watches: add, change, remove, check',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'add', description: 'Adds a game server read over SFTP (a form asks for the login)',
      options: [{ type: ApplicationCommandOptionType.String, name: 'name', description: 'A name for it, unique in this Discord server', required: true, max_length: 64 }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'edit', description: 'Changes a game server\'s settings',
      options: [
        server,
        { type: ApplicationCommandOptionType.String, name: 'name', description: 'A new name', max_length: 64 },
        { type: ApplicationCommandOptionType.Integer, name: 'port', description: 'The SFTP port', min_value: 1, max_value: 65535 },
        { type: ApplicationCommandOptionType.String, name: 'death-logs-path', description: 'The folder holding the day .csv files; - to let the bot search', max_length: 1024 },
        { type: ApplicationCommandOptionType.String, name: 'server-log-path', description: 'The Deadside.log file; - to let the bot search', max_length: 1024 },
        { type: ApplicationCommandOptionType.Integer, name: 'poll-seconds', description: 'Seconds between reads (10-3600); 0 for the bot\'s default', min_value: 0, max_value: 3600 },
        { type: ApplicationCommandOptionType.Boolean, name: 'enabled', description: 'False pauses reading it' },
        { type: ApplicationCommandOptionType.Boolean, name: 'login', description: 'True opens a form for a new SFTP login (and trusts the host key anew)' },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'remove', description: 'Removes a game server and deletes its figures (asks first)', options: [server] },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Every game server of this Discord server, with how reading it goes' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'test', description: 'Connects to a game server and tells what it found or what failed', options: [server] },
    { type: ApplicationCommandOptionType.Subcommand, name: 'status', description: 'How reading a game server goes: last read, lag, errors, files', options: [server] },
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'history', description: 'Reads a game server\'s old death logs into the figures',
      options: [server, { type: ApplicationCommandOptionType.Boolean, name: 'fresh', description: 'True deletes its figures first and reads everything again (asks first)' }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'wipe', description: 'Starts a new season (the server was wiped): season leaderboards count from it (asks first)',
      options: [server, { type: ApplicationCommandOptionType.String, name: 'at', description: 'A later start, UTC: YYYY-MM-DD HH:MM (default: now)', max_length: 40 }],
    },
  ],
} as const satisfies CommandData;

function showsForm(interaction: ChatInputCommandInteraction<'cached'>): boolean {
  const subcommand = interaction.options.getSubcommand();
  return subcommand === 'add' || (subcommand === 'edit' && interaction.options.getBoolean('login') === true);
}

/** Options of one subcommand, typed from the definition. */
export type ServerArgs<S extends ArgsOf<typeof data>['subcommand']> = Extract<ArgsOf<typeof data>, { subcommand: S }>;

export default {
  data,
  access: 'admin',
  // The login forms are shown at once (a form cannot follow a deferral); everything else does I/O first.
  acknowledge: (interaction: ChatInputCommandInteraction<'cached'>) => (showsForm(interaction) ? 'none' : 'defer-ephemeral'),
  async execute(interaction, ctx) {
    const args = readArgs(interaction, data);
    switch (args.subcommand) {
      case 'add': return showAddForm(interaction, args);
      case 'edit': return args.login === true ? showNewLoginForm(interaction, args) : editServer(interaction, ctx, args);
      case 'remove': return askRemove(interaction, ctx, args);
      case 'list': return listServers(interaction, ctx);
      case 'test': return testServer(interaction, ctx, args);
      case 'status': return serverStatus(interaction, ctx, args);
      case 'history': return runHistoryCommand(interaction, ctx, args);
      case 'wipe': return askWipe(interaction, ctx, args);
    }
  },
  autocomplete: (interaction, ctx) => serverChoices(ctx.store.guild(interaction.guildId), String(interaction.options.getFocused())),
  async component(interaction, ctx) {
    const [, action = '', ...rest] = interaction.customId.split(':');
    const arg = rest.join(':');
    if (interaction.isModalSubmit() && action === 'add') return submitAddForm(interaction, ctx, arg);
    if (interaction.isModalSubmit() && action === 'login') return submitNewLogin(interaction, ctx, arg);
    if (interaction.isButton() && action === 'remove') return confirmRemove(interaction, ctx, arg);
    if (interaction.isButton() && action === 'keep') return keepServer(interaction);
    if (interaction.isButton() && action === 'history-cancel') return cancelHistoryRun(interaction, ctx, arg);
    if (interaction.isButton() && action === 'history-fresh') return confirmFresh(interaction, ctx, arg);
    if (interaction.isButton() && action === 'history-keep') return keepFigures(interaction);
    if (interaction.isButton() && action === 'wipe') return confirmWipe(interaction, ctx, arg);
    if (interaction.isButton() && action === 'no-wipe') return keepSeason(interaction);
    throw new UserError('This button or form no longer works. Run the command again.');
  },
} satisfies SlashCommand<typeof data>;
