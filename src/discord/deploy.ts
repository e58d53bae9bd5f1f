import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { CommandRegistry } from './registry.js';

export interface DeployOptions {
  token: string;
  applicationId: string;
  /** A Discord-compatible API (the local stand-in); absent: Discord itself. */
  apiUrl?: string;
  /** Registers for one guild only (instant, for testing); absent: globally. */
  guildId?: string;
  registry: Pick<CommandRegistry, 'commandsJson'>;
}

/** What Discord now holds, as it answered. */
export interface DeployResult {
  scope: 'global' | { guildId: string };
  names: string[];
}

/**
 * Registers the bot's commands with one bulk overwrite: Discord then holds exactly this list
 * (commands no longer in it are removed), so running it twice changes nothing. The bot never
 * registers on start: that would spend the daily command-creation limit on every restart.
 */
export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  try {
    const route = options.guildId
      ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
      : Routes.applicationCommands(options.applicationId);
    const registered = await rest.put(route, { body: options.registry.commandsJson() }) as RESTPutAPIApplicationCommandsResult;
    return { scope: options.guildId ? { guildId: options.guildId } : 'global', names: registered.map((c) => c.name) };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
