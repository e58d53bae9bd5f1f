/**
 * Why a log source could not do what was asked, in words a server admin can act on. `kind` is stable
 * (metrics, tests, the admin command); `message` is safe to show in Discord: it names the host and the
 * path, never a password, key or passphrase.
 */
export type SourceErrorKind =
  | 'auth-failed' | 'unreachable' | 'timeout' | 'host-key-changed'
  | 'not-found' | 'permission-denied' | 'bad-config' | 'failed';

export class SourceError extends Error {
  readonly kind: SourceErrorKind;
  constructor(kind: SourceErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
  override get name(): string {
    return 'SourceError';
  }
  /** True when trying again later can work without anyone changing the settings. */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout' || this.kind === 'failed';
  }
}

/** One small factory per kind; `where` is `host:port` or the local folder. */
export const SourceErrors = {
  authFailed: (where: string) => new SourceError('auth-failed',
    `The SFTP server at ${where} refused the username or password/key: check the username, the password ` +
    'or private key (and its passphrase) in this server\'s settings.'),
  unreachable: (where: string, why: string) => new SourceError('unreachable',
    `Could not reach the SFTP server at ${where} (${why}): check the host name and port (some hosts use ` +
    '8822) and that the server is online. The bot will try again on the next check.'),
  timedOut: (where: string, what: string, ms: number) => new SourceError('timeout',
    `The SFTP server at ${where} did not answer within ${formatSeconds(ms)} (${what}); it may be overloaded ` +
    'or frozen. The bot dropped that connection and will try again on the next check.'),
  hostKeyChanged: (where: string, stored: string, presented: string) => new SourceError('host-key-changed',
    `The SFTP server at ${where} presented host key ${presented}, but ${stored} is stored for it, so the bot ` +
    'refused to connect. If the host really changed its key (reinstall, move to a new machine), clear the ' +
    'stored host key in this server\'s settings to trust the new one; otherwise the connection may be intercepted.'),
  notFound: (where: string, path: string) => new SourceError('not-found',
    `${path} does not exist on ${where}: check the death-log folder and Deadside.log paths in this server's ` +
    'settings, or clear them to let the bot search for the files.'),
  permissionDenied: (where: string, path: string) => new SourceError('permission-denied',
    `The account used for ${where} may not read ${path}: ask the host to grant read access, or use an ` +
    'account that has it.'),
  badConfig: (detail: string) => new SourceError('bad-config', detail),
  failed: (where: string, detail: string) => new SourceError('failed',
    `Reading from ${where} failed: ${detail}. The bot will try again on the next check.`),
} as const;

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused', ENOTFOUND: 'host name not found', EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable', ENETUNREACH: 'network unreachable', ECONNRESET: 'connection reset',
};

/** What a failed call is about, for the message. `secrets` are scrubbed from anything echoed back. */
export interface ErrorContext {
  where: string;
  path?: string;
  secrets?: readonly string[];
}

/**
 * Maps what ssh2, ssh2-sftp-client or node:fs threw to a SourceError. Library messages are never
 * echoed whole except for the catch-all, and then only after removing the secrets.
 */
export function classifyError(error: unknown, ctx: ErrorContext): SourceError {
  if (error instanceof SourceError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  const level = (err as { level?: unknown }).level;
  const path = ctx.path ?? 'the path';
  const wrap = (made: SourceError): SourceError => attachCause(made, err);
  if (level === 'client-authentication' || /authentication methods failed/i.test(err.message)) {
    return wrap(SourceErrors.authFailed(ctx.where));
  }
  if (typeof code === 'string' && UNREACHABLE[code]) return wrap(SourceErrors.unreachable(ctx.where, UNREACHABLE[code]));
  if (level === 'client-timeout' || /timed out while waiting for handshake/i.test(err.message)) {
    return wrap(SourceErrors.timedOut(ctx.where, 'connecting', 0));
  }
  if (code === 2 || code === 'ENOENT' || /no such file/i.test(err.message)) return wrap(SourceErrors.notFound(ctx.where, path));
  if (code === 3 || code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(err.message)) {
    return wrap(SourceErrors.permissionDenied(ctx.where, path));
  }
  return wrap(SourceErrors.failed(ctx.where, scrub(err.message, ctx.secrets ?? [])));
}

/** Removes secret values from a message (whole and line by line, for multi-line PEM keys). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets.flatMap((s) => [s, ...s.split('\n')]).filter((s) => s.trim().length >= 4)) {
    out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

function attachCause(target: SourceError, cause: Error): SourceError {
  // Not enumerable: a logger serialising the error shows the admin message, not the raw library error.
  Object.defineProperty(target, 'cause', { value: cause, enumerable: false });
  return target;
}

function formatSeconds(ms: number): string {
  return ms > 0 ? `${Math.round(ms / 100) / 10} s` : 'the connect timeout';
}
