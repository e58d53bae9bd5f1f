/**
 * Every slash command the bot has: one import line and one entry per file in this folder.
 * deploy-commands registers exactly this list; the interaction boundary routes to it by name.
 */
import type { SlashCommand } from '../src/discord/command.js';
import admin from './admin.js';
import compare from './compare.js';
import feeds from './feeds.js';
import help from './help.js';
import leaderboard from './leaderboard.js';
import link from './link.js';
import server from './server.js';
import stats from './stats.js';
import unlink from './unlink.js';

export const commands: readonly SlashCommand[] = [
  admin,
  compare,
  feeds,
  help,
  leaderboard,
  link,
  server,
  stats,
  unlink,
];
