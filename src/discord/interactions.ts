import { randomBytes } from 'node:crypto';
import {
  MessageFlags,
  PermissionFlagsBits,
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
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

/** What the boundary's steps share. */
interface Scope {
  registry: Pick<CommandRegistry, 'get'>;
  context: CommandContext;
  log: Logger;
}

/**
 * The one error boundary of the bot: every interaction goes through here. It refuses what a member
 * may not do, acknowledges before any I/O (Discord allows 3 s), runs the handler, and answers any
 * error: a `UserError` with its own words, anything else with an error id that the log line shares.
 * Answering is itself guarded: an expired interaction is logged, never rethrown.
 */
export function createInteractionBoundary(deps: InteractionBoundaryDeps): (interaction: Interaction) => Promise<void> {
  const scope: Scope = { registry: deps.registry, context: deps.context, log: deps.logger.child({ module: 'interactions' }) };
  return async (interaction) => {
    if (interaction.isAutocomplete()) {
      if (interaction.inCachedGuild()) return runAutocomplete(scope, interaction);
      await interaction.respond([]).catch(() => undefined);
      return;
    }
    if (!interaction.isRepliable()) return;
    if (!interaction.inCachedGuild()) return answer(interaction, interaction.guildId ? GUILD_UNAVAILABLE : NOT_IN_GUILD, scope.log);
    if (interaction.isChatInputCommand()) return runCommand(scope, interaction);
    if (interaction.isButton() || interaction.isModalSubmit()) return runComponent(scope, interaction);
  };
}

async function runCommand(scope: Scope, interaction: ChatInputCommandInteraction<'cached'>): Promise<void> {
  const command = scope.registry.get(interaction.commandName);
  if (!command) return answer(interaction, `The command /${interaction.commandName} is not known to this bot. An admin can run deploy-commands to refresh the list.`, scope.log);
  const refused = refusal(command, interaction);
  if (refused) return answer(interaction, refused, scope.log);
  try {
    const ack = acknowledgementOf(command, interaction);
    if (ack !== 'none') await interaction.deferReply(ack === 'defer-ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
    await command.execute(interaction, scope.context);
  } catch (error) {
    const where = { guildId: interaction.guildId, userId: interaction.user.id, command: interaction.commandName, subcommand: interaction.options.getSubcommand(false) };
    await answerFailure(scope, interaction, error, where);
  }
}

async function runComponent(scope: Scope, interaction: ButtonInteraction<'cached'> | ModalSubmitInteraction<'cached'>): Promise<void> {
  const name = interaction.customId.split(':', 1)[0] ?? '';
  const command = scope.registry.get(name);
  if (!command?.component) return answer(interaction, 'This button or form no longer works. Run the command again.', scope.log);
  const refused = refusal(command, interaction);
  if (refused) return answer(interaction, refused, scope.log);
  try {
    await command.component(interaction, scope.context);
  } catch (error) {
    await answerFailure(scope, interaction, error, { guildId: interaction.guildId, userId: interaction.user.id, command: name, component: interaction.customId });
  }
}

async function runAutocomplete(scope: Scope, interaction: AutocompleteInteraction<'cached'>): Promise<void> {
  const command = scope.registry.get(interaction.commandName);
  let choices: ApplicationCommandOptionChoiceData[] = [];
  try {
    // A guild can open an admin command to everyone in its settings: its choices (server names) still go only to admins.
    if (command?.autocomplete && (command.access !== 'admin' || interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild))) choices = (await command.autocomplete(interaction, scope.context)).slice(0, 25);
  } catch (error) {
    scope.log.error({ err: error, guildId: interaction.guildId, userId: interaction.user.id, command: interaction.commandName }, 'autocomplete failed');
  }
  await interaction.respond(choices).catch((error: unknown) => scope.log.warn({ err: error, command: interaction.commandName }, 'could not answer an autocomplete (it may have expired)'));
}

/** A `UserError` is shown as it is; anything else is a bug: an error id for the member, the same id in the log. */
async function answerFailure(scope: Scope, interaction: RepliableInteraction, error: unknown, where: Where): Promise<void> {
  if (isUserError(error)) return answer(interaction, error.message, scope.log);
  const errorId = randomBytes(4).toString('hex').slice(0, 6).toUpperCase();
  scope.log.error({ err: error, errorId, ...where }, 'an interaction failed');
  await answer(interaction, `Something went wrong on our side (error id ${errorId}). The bot's admins can find it in the log.`, scope.log);
}

/** Admin commands need Manage Server, checked here too: a guild can change who sees a command in its settings. */
function refusal(command: SlashCommand, interaction: RepliableInteraction<'cached'>): string | null {
  if (command.access !== 'admin' || interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return null;
  return `You need the Manage Server permission to use /${command.data.name}.`;
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
    // A deferred form answer is a reply of its own (deferReply), like a command's: edit it, never leave it thinking.
    if ((interaction.isChatInputCommand() || interaction.isModalSubmit()) && interaction.deferred) await interaction.editReply({ content, embeds: [], components: [] });
    else if (interaction.deferred || interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  } catch (error) {
    log.warn({ err: error, interactionId: interaction.id }, 'could not answer the interaction (it may have expired)');
  }
}
