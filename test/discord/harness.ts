import { randomBytes } from 'node:crypto';
import { loadConfig, secretValues, type Config } from '../../config/load-config.js';
import { buildApp, type App, type AppOptions } from '../../src/app/build-app.js';
import type { SlashCommand } from '../../src/discord/command.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { createRegistry } from '../../src/discord/registry.js';
import { startDevDiscord } from '../../src/dev-discord/index.js';
import type { DevDiscord, DevDiscordOptions, DevGuild } from '../../src/dev-discord/types.js';
import { createLogger, LogSink, type Logger } from '../../src/logging/logger.js';
import { commands as productionCommands } from '../../commands/index.js';
import { startTestDatabase, type TestDatabase } from '../store/helpers.js';

export interface BotHarnessOptions {
  /** The commands registered and served; default: the bot's own (commands/index.ts). */
  commands?: readonly SlashCommand[];
  /** Options of the Discord stand-in (guilds, deadlines, heartbeat...). */
  discord?: DevDiscordOptions;
  /** More environment variables for the app's configuration, e.g. `{ POLL_INTERVAL_SECONDS: '10' }`. */
  env?: Record<string, string>;
  /** The guild lifecycle's clock (ms since the epoch). */
  now?: () => number;
  /** Default 'debug', so tests can read what the client logged. */
  logLevel?: string;
}

/** dev-mongo (or MONGODB_URI), the Discord stand-in, and the real app logged in to it. */
export interface BotHarness {
  dev: DevDiscord;
  /** The running app (a new one after `restartApp`). */
  readonly app: App;
  /** The stand-in's first guild. */
  guild: DevGuild;
  db: TestDatabase;
  config: Config;
  logger: Logger;
  /** Every line the app logged, parsed. */
  logs: LogSink;
  /**
   * Stops the app (as SIGTERM does) and starts a new one on the same database and stand-in: a restart.
   * `whileStopped` runs in between, e.g. a guild removing the bot while it is offline.
   */
  restartApp(whileStopped?: () => unknown): Promise<App>;
  /** Stops the app, then the stand-in and the database. */
  stop(): Promise<void>;
}

/**
 * Starts everything a bot test needs and resolves once the app's client is READY: the commands are
 * registered globally through deploy-commands first, as an operator would.
 */
export async function startBotHarness(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const db = await startTestDatabase('bot');
  let started: { dev?: DevDiscord; app?: App } = {};
  try {
    const dev = await startDevDiscord(options.discord ?? {});
    started = { dev };
    const config = loadConfig({
      DISCORD_TOKEN: dev.token, DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl,
      MONGODB_URI: db.uri, MONGODB_DATABASE: db.dbName, SECRETS_KEY: randomBytes(32).toString('hex'),
      // No HTTP server unless a test asks for one (with a free port): parallel test files would all want 8080.
      POOL_MAX_THREADS: '2', SHUTDOWN_DEADLINE_MS: '5000', HTTP_PORT: '0', ...options.env,
    }, 'bot');
    const logs = new LogSink();
    const logger = createLogger({ level: options.logLevel ?? 'debug', pretty: false, destination: logs, secrets: secretValues(config) });
    const commands = options.commands ?? productionCommands;
    await deployCommands({ token: dev.token, applicationId: dev.applicationId, apiUrl: dev.apiUrl, registry: createRegistry(commands) });
    const appOptions: AppOptions = { commands, ...(options.now ? { now: options.now } : {}) };
    const startApp = async (): Promise<App> => {
      const started = await buildApp(config, logger, appOptions);
      try {
        await started.start();
      } catch (error) {
        await started.stop({ deadlineMs: 1_000 }).catch(() => undefined);
        throw error;
      }
      return started;
    };
    const running = { dev, app: await startApp() };
    started = running;
    const guild = dev.guilds[0];
    if (!guild) throw new Error('The Discord stand-in started without a guild.');
    return {
      dev, guild, db, config, logger, logs,
      get app() { return running.app; },
      async restartApp(whileStopped) {
        await running.app.stop();
        await whileStopped?.();
        running.app = await startApp();
        return running.app;
      },
      async stop() {
        await running.app.stop({ deadlineMs: 2_000 }).catch(() => undefined);
        await running.dev.close();
        await db.dispose();
      },
    };
  } catch (error) {
    await started.app?.stop({ deadlineMs: 1_000 }).catch(() => undefined);
    await started.dev?.close().catch(() => undefined);
    await db.dispose().catch(() => undefined);
    throw error;
  }
}
