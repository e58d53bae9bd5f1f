import { randomBytes } from 'node:crypto';
import {
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from '../logging/logger.js';
import type { Acknowledge, SlashCommand } from './command.js';
import type { CommandContext } from './context.js';
import type { CommandRegistry } from './registry.js';
import { isUserError } from './user-error.js';

export interface InteractionBoundaryDeps {
  registry: Pick<CommandRegistry, 'get'>;
  context: CommandContext;
  logger: Logger;
}

/** Where in the bot an interaction went, for the log line of a failure (never option values: modals carry secrets). */
interface Where {
  guildId: string | null;
  userId: string;
  command: string;
  subcommand?: string | null;
  component?: string;
}

const NOT_IN_GUILD = 'This bot\'s commands work only inside a Discord server.';
const GUILD_UNAVAILABLE = 'This Discord server is not available to the bot right now. Try again in a minute.';

/**
 * The one error boundary of the bot: every interaction goes through here. It refuses what a member
 * may not do, acknowledges before any I/O (Discord allows 3 s), runs the handler, and answers any
 * error: a `UserError` with its own words, anything else with an error id that the log line shares.
 * Answering is itself guarded: an expired interaction is logged, never rethrown.
 */
export function createInteractionBoundary(deps: InteractionBoundaryDeps): (interaction: Interaction) => Promise<void> {
  const log = deps.logger.child({ module: 'interactions' });
  const answerFailure = async (interaction: RepliableInteraction, error: unknown, where: Where): Promise<void> => {
    if (isUserError(error)) return answer(interaction, error.message, log);
    const errorId = randomBytes(4).toString('hex').slice(0, 6).toUpperCase();
    log.error({ err: error, errorId, ...where }, 'an interaction failed');
    await answer(interaction, `Something went wrong on our side (error id ${errorId}). The bot's admins can find it in the log.`, log);
  };

  const runCommand = async (interaction: ChatInputCommandInteraction<'cached'>): Promise<void> => {
    const command = deps.registry.get(interaction.commandName);
    const where: Where = { guildId: interaction.guildId, userId: interaction.user.id, command: interaction.commandName, subcommand: interaction.options.getSubcommand(false) };
    if (!command) return answer(interaction, `The command /${interaction.commandName} is not known to this bot. An admin can run deploy-commands to refresh the list.`, log);
    if (command.access === 'admin' && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      return answer(interaction, `You need the Manage Server permission to use /${command.data.name}.`, log);
    }
    try {
      const ack = acknowledgementOf(command, interaction);
      if (ack !== 'none') await interaction.deferReply(ack === 'defer-ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
      await command.execute(interaction, deps.context);
    } catch (error) {
      await answerFailure(interaction, error, where);
    }
  };

  const runAutocomplete = async (interaction: AutocompleteInteraction<'cached'>): Promise<void> => {
    const command = deps.registry.get(interaction.commandName);
    let choices: Awaited<ReturnType<NonNullable<SlashCommand['autocomplete']>>> = [];
    try {
      if (command?.autocomplete) choices = (await command.autocomplete(interaction, deps.context)).slice(0, 25);
    } catch (error) {
      log.error({ err: error, guildId: interaction.guildId, userId: interaction.user.id, command: interaction.commandName }, 'autocomplete failed');
    }
    await interaction.respond(choices).catch((error: unknown) => log.warn({ err: error, command: interaction.commandName }, 'could not answer an autocomplete (it may have expired)'));
  };

  return async (interaction) => {
    if (interaction.isAutocomplete()) {
      if (interaction.inCachedGuild()) return runAutocomplete(interaction);
      await interaction.respond([]).catch(() => undefined);
      return;
    }
    if (!interaction.isRepliable()) return;
    if (!interaction.inCachedGuild()) return answer(interaction, interaction.guildId ? GUILD_UNAVAILABLE : NOT_IN_GUILD, log);
    if (interaction.isChatInputCommand()) return runCommand(interaction);
    if (interaction.isButton() || interaction.isModalSubmit()) {
      const name = interaction.customId.split(':', 1)[0] ?? '';
      const command = deps.registry.get(name);
      if (!command?.component) return answer(interaction, 'This button or form no longer works. Run the command again.', log);
      if (command.access === 'admin' && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
        return answer(interaction, `You need the Manage Server permission to use /${name}.`, log);
      }
      try {
        await command.component(interaction, deps.context);
      } catch (error) {
        await answerFailure(interaction, error, { guildId: interaction.guildId, userId: interaction.user.id, command: name, component: interaction.customId });
      }
    }
  };
}

function acknowledgementOf(command: SlashCommand, interaction: ChatInputCommandInteraction<'cached'>): Acknowledge {
  const chosen = typeof command.acknowledge === 'function' ? command.acknowledge(interaction) : command.acknowledge;
  return chosen ?? (command.access === 'admin' ? 'defer-ephemeral' : 'defer');
}

/**
 * Tells the member, whatever state the interaction is in: the deferred reply of a command is
 * edited; after a component's update or a reply, a private follow-up; otherwise a private reply.
 */
async function answer(interaction: RepliableInteraction, content: string, log: Logger): Promise<void> {
  try {
    if (interaction.isChatInputCommand() && interaction.deferred) await interaction.editReply({ content, embeds: [], components: [] });
    else if (interaction.deferred || interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  } catch (error) {
    log.warn({ err: error, interactionId: interaction.id }, 'could not answer the interaction (it may have expired)');
  }
}
