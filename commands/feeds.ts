import {
  ApplicationCommandOptionType, ChannelType, PermissionFlagsBits, type ChatInputCommandInteraction, type GuildBasedChannel,
} from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import { serverChoices } from '../src/discord/autocomplete.js';
import type { CommandContext } from '../src/discord/context.js';
import { readArgs, type ArgsOf } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import { FEED_DESCRIPTIONS, FEED_KINDS, playerCountPurpose, type FeedKind } from '../src/feeds/kinds.js';
import { findServer } from './server/find-server.js';

const PLAYER_COUNT = 'player-count';
type Kind = FeedKind | typeof PLAYER_COUNT;

const kind = {
  type: ApplicationCommandOptionType.String, name: 'kind', description: 'Which feed', required: true,
  choices: [...FEED_KINDS.map((k) => ({ name: k, value: k })), { name: PLAYER_COUNT, value: PLAYER_COUNT }],
} as const;
const server = { type: ApplicationCommandOptionType.String, name: 'server', description: 'The game server (player-count only)', autocomplete: true, max_length: 80 } as const;

const data = {
  name: 'feeds',
  description: 'Where the bot posts: killfeed, connections, events, its log, and the player-count voice channel',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'set', description: 'Posts a feed to a channel (checks the bot may post there)',
      options: [
        kind,
        {
          type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'A text channel; a voice channel for player-count', required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildVoice],
        },
        server,
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'clear', description: 'Stops posting a feed', options: [kind, server] },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Each feed, its channel, and why it stopped if it did' },
  ],
} as const satisfies CommandData;

type FeedsArgs<S extends ArgsOf<typeof data>['subcommand']> = Extract<ArgsOf<typeof data>, { subcommand: S }>;

/** What the bot needs in a feed's channel, by name as Discord shows it. */
const NEEDS_TEXT = [['View Channel', PermissionFlagsBits.ViewChannel], ['Send Messages', PermissionFlagsBits.SendMessages], ['Embed Links', PermissionFlagsBits.EmbedLinks]] as const;
const NEEDS_VOICE = [['View Channel', PermissionFlagsBits.ViewChannel], ['Manage Channels', PermissionFlagsBits.ManageChannels]] as const;

/** The settings purpose of a kind: the kind itself, or the server's player-count purpose. */
async function purposeOf(ctx: CommandContext, guildId: string, k: Kind, serverValue: string | null): Promise<{ purpose: string; label: string }> {
  if (k !== PLAYER_COUNT) return { purpose: k, label: k };
  if (serverValue === null) throw new UserError('player-count is per game server: pick one in the `server` option.');
  const found = await findServer(ctx.store.guild(guildId), serverValue);
  return { purpose: playerCountPurpose(found.id), label: `player-count of **${found.name}**` };
}

/** Plain words for what the bot lacks in `channel`, or null when it has all it needs. */
export function missingPermissions(channel: GuildBasedChannel, k: Kind): string | null {
  const voice = k === PLAYER_COUNT;
  if (voice && channel.type !== ChannelType.GuildVoice) return `player-count renames a voice channel: pick a voice channel, not <#${channel.id}>.`;
  if (!voice && !(channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement)) return `The ${k} feed posts messages: pick a text channel, not <#${channel.id}>.`;
  const me = channel.guild.members.me;
  const have = me ? channel.permissionsFor(me) : null;
  const missing = (voice ? NEEDS_VOICE : NEEDS_TEXT).filter(([, flag]) => !have?.has(flag)).map(([name]) => name);
  if (missing.length === 0) return null;
  return `The bot lacks ${missing.join(', ')} in <#${channel.id}>. Give its role ${missing.length === 1 ? 'that permission' : 'those permissions'} there (channel settings > Permissions), then run this again.`;
}

async function setFeed(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: FeedsArgs<'set'>): Promise<void> {
  const { purpose, label } = await purposeOf(ctx, interaction.guildId, args.kind, args.server);
  const problem = missingPermissions(args.channel, args.kind);
  if (problem) throw new UserError(problem);
  const guild = ctx.store.guild(interaction.guildId);
  if (args.kind === PLAYER_COUNT) {
    // One name per channel: two counts in one voice channel would overwrite each other and share its two renames per 10 minutes.
    const { channels } = await guild.settings.get();
    const taken = (await guild.servers.list()).find((s) => playerCountPurpose(s.id) !== purpose && channels[playerCountPurpose(s.id)] === args.channel.id);
    if (taken) throw new UserError(`<#${args.channel.id}> already shows the player count of **${taken.name}**. Pick another voice channel, or clear that one first with \`/feeds clear kind:player-count server:${taken.name}\`.`);
  }
  await guild.settings.setChannel(purpose, args.channel.id);
  await interaction.editReply({ content: `The ${label} feed now goes to <#${args.channel.id}>.`, allowedMentions: { parse: [] } });
}

async function clearFeed(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: FeedsArgs<'clear'>): Promise<void> {
  const { purpose, label } = await purposeOf(ctx, interaction.guildId, args.kind, args.server);
  await ctx.store.guild(interaction.guildId).settings.clearChannel(purpose);
  await interaction.editReply({ content: `The ${label} feed is off: nothing more is posted for it.` });
}

async function listFeeds(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext): Promise<void> {
  const guild = ctx.store.guild(interaction.guildId);
  const config = await guild.settings.get();
  const line = (label: string, purpose: string, what: string): string => {
    const channel = config.channels[purpose];
    const problem = config.problems[purpose];
    const where = channel === undefined ? 'off' : `<#${channel}>`;
    return `**${label}** (${what}): ${where}${problem ? `\n  ⚠ Stopped: ${problem.message}` : ''}`;
  };
  const lines = FEED_KINDS.map((k) => line(k, k, FEED_DESCRIPTIONS[k]));
  for (const s of await guild.servers.list()) lines.push(line(`player-count of ${s.name}`, playerCountPurpose(s.id), 'a voice channel renamed with who is online'));
  await interaction.editReply({ content: lines.join('\n').slice(0, 2000), allowedMentions: { parse: [] } });
}

export default {
  data,
  access: 'admin',
  acknowledge: 'defer-ephemeral',
  async execute(interaction, ctx) {
    const args = readArgs(interaction, data);
    switch (args.subcommand) {
      case 'set': return setFeed(interaction, ctx, args);
      case 'clear': return clearFeed(interaction, ctx, args);
      case 'list': return listFeeds(interaction, ctx);
    }
  },
  autocomplete: (interaction, ctx) => serverChoices(ctx.store.guild(interaction.guildId), String(interaction.options.getFocused())),
} satisfies SlashCommand<typeof data>;
