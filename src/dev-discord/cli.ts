/**
 * `killfeed dev-discord [--port N] [--guilds N] [--host H]`: starts the Discord stand-in and prints one
 * JSON line with what a bot needs to connect to it; the CLI (src/cli.ts) serves it until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startDevDiscord } from './index.js';

export interface DevDiscordCliDeps {
  /** Where the one JSON line goes; stdout by default. */
  write?: (line: string) => void;
}

/** Starts the stand-in and prints its JSON line; the caller closes it. */
export async function startDevDiscordCli(argv: readonly string[], deps: DevDiscordCliDeps = {}): Promise<{ close(): Promise<void> }> {
  const { port, guilds, host } = parseCliOptions(argv);
  const dev = await startDevDiscord({ port, guilds, host });
  const line = {
    apiUrl: dev.apiUrl, token: dev.token, applicationId: dev.applicationId,
    guilds: dev.guilds.map((g) => ({
      id: g.id, name: g.name, channels: g.channels.map(({ id, name, type }) => ({ id, name, type })),
      admin: { id: g.admin.id, username: g.admin.username }, member: { id: g.member.id, username: g.member.username },
    })),
  };
  (deps.write ?? ((text: string) => process.stdout.write(`${text}\n`)))(JSON.stringify(line));
  return dev;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got '${value ?? ''}'`);
  return n;
}

function parseCliOptions(argv: readonly string[]): { port: number; guilds: number; host: string } {
  let values: { port?: string | undefined; guilds?: string | undefined; host?: string | undefined };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { port: { type: 'string' }, guilds: { type: 'string' }, host: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}. Usage: dev-discord [--port 0] [--guilds 1] [--host 127.0.0.1]`);
  }
  return {
    port: wholeNumber('--port', values.port, 0, 0, 65535),
    guilds: wholeNumber('--guilds', values.guilds, 1, 1, 100),
    host: values.host ?? '127.0.0.1',
  };
}
