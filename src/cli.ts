#!/usr/bin/env node
/**
 * `killfeed <command>`: the tools that run without Discord. Each command is a function of its
 * arguments and an I/O pair, so tests run them in-process.
 */
import { readFileSync } from 'node:fs';
import { loadDotEnv } from '../config/env-file.js';
import { runParseCommand } from './cli/parse-command.js';
import { runReplayCommand } from './cli/replay-command.js';
import { processIo, type CliIo } from './cli/io.js';
import { untilStopped } from './cli/until-stopped.js';
import { startDevDiscordCli } from './dev-discord/cli.js';
import { startDevMongoCli } from './dev-mongo/cli.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

/** Runs a stand-in in the foreground: started and announced, then closed on Ctrl-C. */
async function serve(started: Promise<{ close(): Promise<void> }>): Promise<number> {
  const running = await started;
  await untilStopped();
  await running.close();
  return 0;
}

const commands: Record<string, { run: Command; usage: string }> = {
  'dev-mongo': {
    run: (args, io) => serve(startDevMongoCli(args, { write: (line) => io.out(line.trimEnd()) })),
    usage: 'dev-mongo [--port 27017] [--host 127.0.0.1]   an in-memory MongoDB stand-in for the offline demo and tests',
  },
  'dev-discord': {
    run: (args, io) => serve(startDevDiscordCli(args, { write: (line) => io.out(line) })),
    usage: 'dev-discord [--port 0] [--guilds 1] [--host 127.0.0.1]   a local Discord API and gateway stand-in; prints one JSON line (API URL, token, guilds)',
  },
  replay: { run: runReplayCommand, usage: 'replay <file-or-folder>... [--json] [--server NAME]   run death logs through the real pipeline into the store, print the figures' },
  parse: { run: runParseCommand, usage: 'parse <file-or-folder>... [--json]   apply the counting rules to death-log CSV files and print the figures' },
};

const HELP = ['--help', '-h'];

function usage(): string {
  return `Usage: killfeed <command> [options]   (killfeed <command> --help for one command)\n${Object.values(commands).map((c) => `  killfeed ${c.usage}`).join('\n')}\n\nThe bot itself: npm start. Variables: .env.example (a .env in this folder is read; the environment wins).`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name !== undefined && HELP.includes(name)) {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`killfeed ${version()}`);
    return 0;
  }
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    io.err(`${name ? `Unknown command "${name}". ` : ''}${usage()}`);
    return 2;
  }
  if (args.some((a) => HELP.includes(a))) {
    io.out(`Usage: killfeed ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // Errors here are the user's to fix (a missing file, a bad flag): the message, not a stack trace.
    io.err(`killfeed ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The version in package.json: one folder up from src/cli.ts, two from the built dist/src/cli.js. */
function version(): string {
  const path = import.meta.url.includes('/dist/src/') ? '../../package.json' : '../package.json';
  return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/killfeed')) {
  try {
    loadDotEnv();
    process.exitCode = await runCli(process.argv.slice(2), processIo);
  } catch (error) {
    processIo.err(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
