import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { CommandData, SlashCommand } from '../src/discord/command.js';
import { fitLines } from '../src/discord/format/index.js';

const data = {
  name: 'help',
  description: 'The commands you may use here, one line each',
} as const satisfies CommandData;

/** Discord's limit on a message's content. */
const MAX_CONTENT = 2000;

/**
 * One line per command the member may use, `/server add` style for subcommands: admin commands
 * only for `isAdmin` (Manage Server), the others told that more exists.
 */
export function helpText(commands: readonly SlashCommand[], isAdmin: boolean): string {
  const usable = commands.filter((c) => isAdmin || c.access === 'everyone');
  const lines = usable.flatMap((c) => {
    const subcommands = (c.data.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
    if (subcommands.length === 0) return [`\`/${c.data.name}\` ${c.data.description}`];
    return subcommands.map((s) => `\`/${c.data.name} ${s.name}\` ${s.description}`);
  });
  const hidden = usable.length < commands.length ? '\nMembers with the Manage Server permission also have admin commands.' : '';
  const header = '**Commands you can use here**\n';
  return `${header}${fitLines(lines, MAX_CONTENT - header.length - hidden.length)}${hidden}`;
}

export default {
  data,
  access: 'everyone',
  // Nothing to wait for: answered at once, privately.
  acknowledge: 'none',
  async execute(interaction, ctx) {
    const isAdmin = interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild);
    await interaction.reply({ content: helpText(ctx.commands(), isAdmin), flags: MessageFlags.Ephemeral });
  },
} satisfies SlashCommand<typeof data>;
