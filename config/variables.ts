/**
 * Every environment variable the product reads, in one table: name, what a good value looks like,
 * the default, and which run modes need it. `.env.example` lists the same variables; a test keeps
 * the two in step.
 */
import { POLL_SECONDS, POLL_SECONDS_EXPECTED } from './poll-interval.js';
import { DEFAULT_MISSION_LEVELS, type MissionLevelTable } from '../parsers/index.js';
import { MISSION_LEVELS_EXPECTED, parseMissionLevels } from './mission-levels.js';

export type RunMode = 'bot' | 'tool';

export interface Variable<T> {
  name: string;
  /** What a good value looks like, shown in start-up errors. */
  expect: string;
  /** Modes in which a missing value is an error (no default applies there). */
  requiredIn?: readonly RunMode[];
  default?: T;
  /** A secret: its value is never echoed in errors and is scrubbed from every log line. */
  secret?: boolean;
  parse(raw: string): T | undefined;
}

const integer = (min: number, max: number) => (raw: string): number | undefined => {
  if (!/^-?\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
};
const fraction = (raw: string): number | undefined => {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 && n < 1 ? n : undefined;
};
const bool = (raw: string): boolean | undefined =>
  ({ true: true, '1': true, yes: true, false: false, '0': false, no: false } as Record<string, boolean>)[raw.trim().toLowerCase()];
const text = (raw: string): string | undefined => (raw.trim() === '' ? undefined : raw.trim());
const oneOf = <T extends string>(...values: T[]) => (raw: string): T | undefined =>
  values.find((v) => v === raw.trim().toLowerCase());
const snowflake = (raw: string): string | undefined => (/^\d{17,20}$/.test(raw.trim()) ? raw.trim() : undefined);
const url = (protocols: readonly string[]) => (raw: string): string | undefined => {
  try {
    return protocols.includes(new URL(raw.trim()).protocol) ? raw.trim() : undefined;
  } catch {
    return undefined;
  }
};

export const variables = {
  discordToken: { name: 'DISCORD_TOKEN', expect: 'the bot token from the Discord developer portal (Bot > Reset Token)', requiredIn: ['bot'], secret: true, parse: text } satisfies Variable<string>,
  discordApplicationId: { name: 'DISCORD_APPLICATION_ID', expect: 'the application ID, 17-20 digits (General Information > Application ID)', requiredIn: ['bot'], parse: snowflake } satisfies Variable<string>,
  discordApiUrl: { name: 'DISCORD_API_URL', expect: 'an http(s) URL of a Discord-compatible API, only for local testing, e.g. http://127.0.0.1:3000/api', parse: url(['http:', 'https:']) } satisfies Variable<string>,
  mongodbUri: { name: 'MONGODB_URI', expect: 'a MongoDB connection string, e.g. mongodb+srv://user:pass@cluster.example.net/', requiredIn: ['bot'], secret: true, parse: url(['mongodb:', 'mongodb+srv:']) } satisfies Variable<string>,
  mongodbDatabase: { name: 'MONGODB_DATABASE', expect: 'a database name of letters, digits, - or _, e.g. killfeed', default: 'killfeed', parse: (raw: string) => (/^[\w-]{1,63}$/.test(raw.trim()) ? raw.trim() : undefined) } satisfies Variable<string>,
  secretsKey: { name: 'SECRETS_KEY', expect: '32 random bytes as 64 hex characters (generate one with `openssl rand -hex 32`) or base64', requiredIn: ['bot'], secret: true, parse: text } satisfies Variable<string>,
  logLevel: { name: 'LOG_LEVEL', expect: 'one of fatal, error, warn, info, debug, trace, silent', default: 'info', parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') } satisfies Variable<string>,
  logPretty: { name: 'LOG_PRETTY', expect: 'true or false (human-readable lines instead of JSON)', default: false, parse: bool } satisfies Variable<boolean>,
  httpHost: { name: 'HTTP_HOST', expect: 'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0', default: '127.0.0.1', parse: text } satisfies Variable<string>,
  httpPort: { name: 'HTTP_PORT', expect: 'a TCP port from 0 to 65535 (0 turns the health API off)', default: 8080, parse: integer(0, 65535) } satisfies Variable<number>,
  missionLevels: { name: 'MISSION_LEVELS', expect: MISSION_LEVELS_EXPECTED, default: DEFAULT_MISSION_LEVELS, parse: parseMissionLevels } satisfies Variable<MissionLevelTable>,
  adminToken: { name: 'ADMIN_TOKEN', expect: 'a long random string, at least 32 characters (generate one with `openssl rand -hex 32`); the bearer token of the HTTP API\'s writes', secret: true, parse: (raw: string) => (raw.trim().length >= 32 && !/\s/.test(raw.trim()) ? raw.trim() : undefined) } satisfies Variable<string>,
  pollIntervalSeconds: { name: 'POLL_INTERVAL_SECONDS', expect: `the time between reads of a game server without an interval of its own, in ${POLL_SECONDS_EXPECTED}`, default: 10, parse: integer(POLL_SECONDS.min, POLL_SECONDS.max) } satisfies Variable<number>,
  poolMinThreads: { name: 'POOL_MIN_THREADS', expect: 'worker threads kept alive when quiet, 0 to 64', default: 1, parse: integer(0, 64) } satisfies Variable<number>,
  poolMaxThreads: { name: 'POOL_MAX_THREADS', expect: 'most worker threads, 1 to 64 (default: the number of cores plus one)', parse: integer(1, 64) } satisfies Variable<number>,
  poolIdleTimeoutMs: { name: 'POOL_IDLE_TIMEOUT_MS', expect: 'milliseconds before an idle worker thread stops, 1000 to 3600000', default: 30_000, parse: integer(1000, 3_600_000) } satisfies Variable<number>,
  poolInteractiveShare: { name: 'POOL_INTERACTIVE_SHARE', expect: 'the share of threads kept free for commands users wait on, from 0 to below 1, e.g. 0.25', default: 0.25, parse: fraction } satisfies Variable<number>,
  poolIoConcurrency: { name: 'POOL_IO_CONCURRENCY', expect: 'I/O jobs (SFTP, database, Discord) running at once, 1 to 256', default: 16, parse: integer(1, 256) } satisfies Variable<number>,
  poolTaskTimeoutMs: { name: 'POOL_TASK_TIMEOUT_MS', expect: 'default run-time limit of a task in milliseconds, 100 to 3600000', default: 120_000, parse: integer(100, 3_600_000) } satisfies Variable<number>,
  poolSlowTaskMs: { name: 'POOL_SLOW_TASK_MS', expect: 'tasks running longer than this many milliseconds are logged as slow, 1 to 3600000', default: 5_000, parse: integer(1, 3_600_000) } satisfies Variable<number>,
  poolWorkerNice: { name: 'POOL_WORKER_NICE', expect: 'how much lower the worker threads\' CPU priority is than the main thread\'s, 0 to 19', default: 10, parse: integer(0, 19) } satisfies Variable<number>,
  poolWorkerMaxMemoryMb: { name: 'POOL_WORKER_MAX_MEMORY_MB', expect: 'old-generation heap limit per worker thread in MB, 64 to 16384', default: 1024, parse: integer(64, 16_384) } satisfies Variable<number>,
  feedBacklogLimit: { name: 'FEED_BACKLOG_LIMIT', expect: 'feed items a channel may fall behind before the older ones are summed up in one line, 10 to 10000', default: 50, parse: integer(10, 10_000) } satisfies Variable<number>,
  shutdownDeadlineMs: { name: 'SHUTDOWN_DEADLINE_MS', expect: 'milliseconds to let running work finish on shutdown, 0 to 600000', default: 15_000, parse: integer(0, 600_000) } satisfies Variable<number>,
} as const;
