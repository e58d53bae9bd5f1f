import { ApplicationCommandOptionType, DiscordAPIError, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import type { CommandContext } from '../src/discord/context.js';
import { serverChoices } from '../src/discord/autocomplete.js';
import { readArgs, type ArgsOf } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import type { BoardPeriod } from '../src/store/index.js';
import { renderBoard, type Board, type BoardSpec } from './leaderboard/board.js';
import { BOARD_PURPOSE, readPinned, savePinned } from './leaderboard/pinned.js';
import { findServer } from './server/find-server.js';

const data = {
  name: 'leaderboard',
  description: 'Top 10 players: kills, KD, longest kill, streaks, deaths or a weapon',
  options: [
    {
      type: ApplicationCommandOptionType.String, name: 'board', description: 'Which leaderboard', required: true,
      choices: [
        { name: 'kills', value: 'kills' }, { name: 'KD ratio', value: 'kd' }, { name: 'longest kill', value: 'longest' },
        { name: 'best streak', value: 'streak' }, { name: 'current streak', value: 'current-streak' },
        { name: 'deaths', value: 'deaths' }, { name: 'kills with a weapon', value: 'weapon' },
      ],
    },
    { type: ApplicationCommandOptionType.String, name: 'server', description: 'Only this game server (default: all of this Discord server\'s)', autocomplete: true, max_length: 80 },
    {
      type: ApplicationCommandOptionType.String, name: 'period', description: 'Which days count (default: all time)',
      choices: [
        { name: 'today', value: 'day' }, { name: 'last 7 days', value: 'week' }, { name: 'last 30 days', value: 'month' },
        { name: 'this season (since the last wipe)', value: 'season' }, { name: 'all time', value: 'all' },
      ],
    },
    {
      type: ApplicationCommandOptionType.String, name: 'season', description: 'previous: the last season\'s top 3 of each board',
      choices: [{ name: 'current', value: 'current' }, { name: 'previous', value: 'previous' }],
    },
    { type: ApplicationCommandOptionType.String, name: 'weapon', description: 'For the weapon board: the weapon (pick from the list)', autocomplete: true, max_length: 100 },
    { type: ApplicationCommandOptionType.Boolean, name: 'pin', description: 'Admins: post this board here and refresh it in place (False stops it)' },
    { type: ApplicationCommandOptionType.Integer, name: 'every', description: 'With pin: minutes between refreshes (5-1440, default 10)', min_value: 5, max_value: 1440 },
  ],
} as const satisfies CommandData;

type Args = ArgsOf<typeof data>;

/** The board the options name; `season: previous` stands for the previous season whatever the period. */
async function specOf(ctx: CommandContext, guildId: string, args: Args): Promise<BoardSpec> {
  const guild = ctx.store.guild(guildId);
  const server = args.server === null ? null : await findServer(guild, args.server);
  const period: BoardPeriod = args.season === 'previous' ? 'previous-season' : args.season === 'current' ? 'season' : args.period ?? 'all';
  return { board: args.board satisfies Board, serverId: server?.id ?? null, period, weapon: args.weapon };
}

/** What an admin is told about a pinned board that stopped (once, until it is pinned again). */
async function stoppedNotice(ctx: CommandContext, interaction: ChatInputCommandInteraction<'cached'>): Promise<string | null> {
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return null;
  const problem = (await ctx.store.guild(interaction.guildId).settings.get()).problems[BOARD_PURPOSE];
  return problem ? `⚠️ ${problem.message}` : null;
}

async function pin(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: Args, spec: BoardSpec, now: number): Promise<void> {
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserError('Only admins (Manage Server) can pin a leaderboard. Leave out `pin` to see the board.');
  }
  const guild = ctx.store.guild(interaction.guildId);
  const before = await readPinned(guild);
  if (args.pin === false) {
    await savePinned(guild, null);
    await interaction.editReply(before ? 'The pinned leaderboard is no longer refreshed (its last version stays in its channel).' : 'No leaderboard was pinned here.');
    return;
  }
  const embed = await renderBoard(guild, spec, now);
  const channel = interaction.channel;
  if (!channel?.isSendable()) throw new UserError('The bot cannot post in this channel: run the command in a text channel it may post in.');
  const message = await channel.send({ embeds: [{ ...embed, timestamp: new Date(now).toISOString() }] }).catch((error: unknown) => {
    if (error instanceof DiscordAPIError && (error.code === 50013 || error.code === 50001)) {
      throw new UserError('The bot may not post in this channel (it needs View Channel, Send Messages and Embed Links here): give it those, or pin the board in another channel.');
    }
    throw error;
  });
  const everyMinutes = args.every ?? 10;
  await savePinned(guild, { channelId: channel.id, messageId: message.id, spec, everyMinutes, nextAt: now + everyMinutes * 60_000 });
  await guild.settings.setChannel(BOARD_PURPOSE, channel.id);
  await interaction.editReply(`Pinned: the board posted in this channel is refreshed in place every ${everyMinutes} minutes.${before ? ' It replaces the board pinned before (that message is no longer refreshed).' : ''}`);
}

export default {
  data,
  access: 'everyone',
  async execute(interaction, ctx) {
    const args = readArgs(interaction, data);
    const now = Date.now();
    const spec = await specOf(ctx, interaction.guildId, args);
    if (args.pin !== null) return pin(interaction, ctx, args, spec, now);
    if (args.every !== null) throw new UserError('`every` sets how often a pinned board is refreshed: use it with `pin:True`.');
    const embed = await renderBoard(ctx.store.guild(interaction.guildId), spec, now);
    const notice = await stoppedNotice(ctx, interaction);
    await interaction.editReply({ ...(notice === null ? {} : { content: notice }), embeds: [embed] });
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const guild = ctx.store.guild(interaction.guildId);
    if (focused.name === 'server') return serverChoices(guild, focused.value);
    const server = interaction.options.getString('server');
    const serverId = server === null || server === '' ? undefined : (await guild.servers.get(server))?.id;
    const weapons = await guild.stats.weapons(focused.value, 25, serverId);
    return weapons.map((w) => ({ name: `${w.weapon} (${w.kills.toLocaleString('en-US')} kills)`.slice(0, 100), value: w.weapon.slice(0, 100) }));
  },
} satisfies SlashCommand<typeof data>;

