/**
 * `killfeed dev-mongo --port N [--host H]`: starts dev-mongo (memory only) and prints where it listens;
 * the CLI (src/cli.ts) serves it in the foreground until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import type { Logger } from '../logging/logger.js';
import { startDevMongo } from './index.js';

export interface DevMongoCliDeps {
  logger?: Logger;
  /** Where the one "listening" line goes; stdout by default. */
  write?: (line: string) => void;
}

/** Parses `--port`/`--host`, starts the server and prints one line with its URI; the caller closes it. */
export async function startDevMongoCli(argv: readonly string[], deps: DevMongoCliDeps = {}): Promise<{ close(): Promise<void> }> {
  const { port, host } = parseCliOptions(argv);
  const server = await startDevMongo({ port, host, ...(deps.logger ? { logger: deps.logger } : {}) });
  (deps.write ?? ((line: string) => process.stdout.write(line)))(`dev-mongo listening on ${server.uri}\n`);
  return server;
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
