/**
 * Every slash command the bot has: one import line and one entry per file in this folder.
 * deploy-commands registers exactly this list; the interaction boundary routes to it by name.
 */
import type { SlashCommand } from '../src/discord/command.js';
import admin from './admin.js';
import help from './help.js';
import server from './server.js';

export const commands: readonly SlashCommand[] = [
  admin,
  help,
  server,
];
