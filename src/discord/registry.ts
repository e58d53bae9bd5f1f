import {
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { isSlashCommand, type SlashCommand } from './command.js';

/** The bot's commands by name, and their definitions as deploy-commands registers them. */
export interface CommandRegistry {
  get(name: string): SlashCommand | undefined;
  all(): readonly SlashCommand[];
  /** The bodies for Discord's bulk overwrite: guild-only, admin commands hidden from members without Manage Server. */
  commandsJson(): RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

/** Builds the registry; a duplicate name or something that is not a command is a plain error at start-up. */
export function createRegistry(commands: readonly unknown[]): CommandRegistry {
  const byName = new Map<string, SlashCommand>();
  for (const [i, command] of commands.entries()) {
    if (!isSlashCommand(command)) {
      const name = (command as { data?: { name?: unknown } } | null)?.data?.name;
      throw new Error(`Entry ${i + 1} of commands/index.ts${typeof name === 'string' ? ` ("${name}")` : ''} is not a slash command: it needs data.name, access ('everyone' or 'admin') and execute.`);
    }
    if (byName.has(command.data.name)) throw new Error(`Two commands are named "${command.data.name}": each name must be used once.`);
    byName.set(command.data.name, command);
  }
  const all = Object.freeze([...byName.values()]);
  return Object.freeze({
    get: (name: string) => byName.get(name),
    all: () => all,
    commandsJson: () => all.map(toJson),
  });
}

function toJson(command: SlashCommand): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    ...(command.data as RESTPostAPIChatInputApplicationCommandsJSONBody),
    // Discord hides admin commands from members without Manage Server (a guild may change that in
    // its settings, which is why the boundary checks again in code).
    default_member_permissions: command.access === 'admin' ? PermissionFlagsBits.ManageGuild.toString() : null,
    contexts: [InteractionContextType.Guild],
  };
}
