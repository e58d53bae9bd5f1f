/**
 * `npm run deploy-commands [-- --guild ID]`: registers the bot's slash commands with Discord, globally
 * or for one guild. Run it after adding or changing a command; the bot itself never registers.
 */
import { parseArgs } from 'node:util';
import { DiscordAPIError, HTTPError } from 'discord.js';
import { commands } from '../commands/index.js';
import { loadDotEnv } from '../config/env-file.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { deployCommands } from './discord/deploy.js';
import { createRegistry } from './discord/registry.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { guild: { type: 'string' } } });
  loadDotEnv();
  const config = loadConfig(process.env, 'tool');
  const missing = [
    ...(config.discordToken ? [] : ['DISCORD_TOKEN (the bot token from the Discord developer portal, Bot > Reset Token)']),
    ...(config.discordApplicationId ? [] : ['DISCORD_APPLICATION_ID (General Information > Application ID)']),
  ];
  if (missing.length > 0) throw new ConfigError(missing.map((m) => `${m} is not set: deploy-commands needs it.`));
  if (values.guild !== undefined && !/^\d{17,20}$/.test(values.guild)) {
    throw new Error(`--guild "${values.guild}" is not a guild id: give the Discord server's id, 17-20 digits (right-click the server, Copy Server ID).`);
  }
  const result = await deployCommands({
    token: config.discordToken ?? '', applicationId: config.discordApplicationId ?? '',
    ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    ...(values.guild ? { guildId: values.guild } : {}),
    registry: createRegistry(commands),
  }).catch((error: unknown) => {
    throw new Error(explain(error), { cause: error });
  });
  const where = result.scope === 'global' ? 'globally' : `for guild ${result.scope.guildId}`;
  process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}\n`);
}

/** Why Discord's API did not take the commands, in words that say what to fix. */
function explain(error: unknown): string {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    if (error.status === 401) return 'Discord refused the token (401 Unauthorized): check DISCORD_TOKEN.';
    // Discord answers 403 (50001 Missing Access) for a guild the application is not in, wrong id included.
    if (error.status === 403) {
      return 'Discord refused access to that guild (403 Missing Access): check the --guild id, and that the bot was invited to it '
        + 'with the applications.commands scope (Developer Portal > OAuth2 > URL Generator: bot and applications.commands).';
    }
    if (error.status === 404) return 'Discord does not know that application or guild (404): check DISCORD_APPLICATION_ID, and the --guild id if given.';
    return `Discord refused the commands (${error.status}): ${error.message}`;
  }
  const failed = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof failed?.code === 'string' ? failed.code : failed?.cause?.code;
  if (typeof code === 'string') return `Could not reach Discord's API (${code}): check the network, or DISCORD_API_URL when it is set.`;
  return error instanceof Error ? error.message : String(error);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
