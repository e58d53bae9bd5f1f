/**
 * `killfeed dev-mongo --port N [--host H]`: runs dev-mongo in the foreground (memory only) until
 * SIGINT/SIGTERM, for the offline demo. Also runnable directly: `tsx src/dev-mongo/cli.ts --port 27017`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Logger } from '../logging/logger.js';
import { startDevMongo } from './index.js';

export interface DevMongoCliDeps {
  logger?: Logger;
  /** Where the one "listening" line goes; stdout by default. */
  write?: (line: string) => void;
  /** Stops the server as a signal would (tests use it). */
  signal?: AbortSignal;
}

/** Parses `--port`/`--host`, serves until SIGINT, SIGTERM or `deps.signal`, then closes. */
export async function runDevMongoCli(argv: readonly string[], deps: DevMongoCliDeps = {}): Promise<void> {
  const { port, host } = parseCliOptions(argv);
  const server = await startDevMongo({ port, host, ...(deps.logger ? { logger: deps.logger } : {}) });
  (deps.write ?? ((line: string) => process.stdout.write(line)))(`dev-mongo listening on ${server.uri}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      deps.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (deps.signal?.aborted) stop();
    deps.signal?.addEventListener('abort', stop);
  });
  await server.close();
}

function parseCliOptions(argv: readonly string[]): { port: number; host: string } {
  let values: { port?: string | undefined; host?: string | undefined };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new Error(`dev-mongo: ${err instanceof Error ? err.message : String(err)}. Usage: dev-mongo [--port 27017] [--host 127.0.0.1]`);
  }
  const port = Number(values.port ?? '27017');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`dev-mongo: --port must be a whole number from 0 to 65535 (0 picks a free port), got '${values.port ?? ''}'`);
  }
  return { port, host: values.host ?? '127.0.0.1' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDevMongoCli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
