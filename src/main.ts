/**
 * The composition root: reads the environment once, builds every part, wires the shutdown signals.
 * Everything else receives the narrow slice of these parts it uses.
 */
import { loadDotEnv } from '../config/env-file.js';
import { ConfigError, loadConfig, secretValues } from '../config/load-config.js';
import { buildApp } from './app/build-app.js';
import { createLogger } from './logging/logger.js';
import { installShutdownSignals } from './pool/index.js';

async function main(): Promise<void> {
  let config;
  try {
    loadDotEnv();
    config = loadConfig(process.env, 'bot');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets: secretValues(config) });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    app = await buildApp(config, logger, {
      onFatal: () => {
        void app?.stop().finally(() => process.exit(1));
      },
    });
  } catch (error) {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'could not start');
    process.exit(1);
  }
  installShutdownSignals({ shutdown: (o) => app.stop(o), forceShutdown: () => app.forceStop() }, {
    deadlineMs: config.shutdownDeadlineMs,
    onStopped: (report) => {
      logger.info({ cancelled: report.cancelled.length }, 'stopped');
      process.exit(0);
    },
    onForce: () => logger.warn('second signal: cancelling what still runs'),
  });
  try {
    await app.start();
  } catch (error) {
    logger.fatal({ err: error }, 'could not start the bot (database, game servers or Discord login)');
    await app.stop().catch(() => undefined);
    process.exit(1);
  }
}

await main();
