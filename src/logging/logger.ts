import { Writable } from 'node:stream';
import { pino, type Logger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** Field names whose values never reach a log line, at any depth pino can address. */
const SECRET_KEYS = [
  'password', 'passphrase', 'privateKey', 'token', 'secret', 'secretsKey', 'authorization',
  'discordToken', 'encryptionKey', 'credentials',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

/** `scheme://user:password@host` in any string (a MongoDB URI in an error message, say). */
const URI_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s"]+):([^@\s"]+)@/gi;

/**
 * An interaction's token in a Discord API path (`/webhooks/<app id>/<token>/messages/@original`,
 * `/interactions/<id>/<token>/callback`): discord.js puts the URL on every API error, and the token
 * lets whoever holds it post as the bot in that channel for 15 minutes.
 */
const INTERACTION_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)([A-Za-z0-9_.-]{16,})/g;

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /**
   * Secret values (the Discord token, the database password, the encryption key...). Any log line
   * that contains one gets it replaced, wherever it hides: a message, an error's stack, a URL.
   * Key-based redaction alone misses those.
   */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. Tests pass a sink and read the lines back. */
  destination?: DestinationStream;
}

/** Builds the root logger. Every module takes a child: `logger.child({ module: 'sftp' })`. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const target: DestinationStream = options.pretty
    ? pretty({ destination: options.destination ?? 1, sync: true, colorize: false })
    : (options.destination ?? pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbing(target, secrets),
  );
}

/** Replaces known secret values and URI credentials in each serialized line before it is written. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line.replace(URI_CREDENTIALS, '$1:[REDACTED]@').replace(INTERACTION_TOKEN, '$1[REDACTED]');
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
    // A secret inside JSON is written escaped; catch that form too.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[REDACTED]');
  }
  return out;
}

function scrubbing(target: DestinationStream, secrets: readonly string[]): DestinationStream {
  return { write: (line: string) => target.write(scrubSecrets(line, secrets)) };
}

/** A destination that keeps every line in memory, parsed: for tests that assert on what was logged. */
export class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    for (const text of chunk.toString().split('\n')) {
      if (!text) continue;
      this.raw.push(text);
      try { this.lines.push(JSON.parse(text) as Record<string, unknown>); } catch { this.lines.push({ msg: text }); }
    }
    done();
  }
}
