import type { ConnectOptions } from 'ssh2-sftp-client';
import { SourceErrors } from './errors.js';

/** An exact, most-preferred-first list, or changes to ssh2's default list. */
export type AlgorithmChoice = readonly string[] | { append?: readonly string[]; prepend?: readonly string[]; remove?: readonly string[] };

/** Transport algorithm overrides; each list is passed to ssh2 as is. */
export interface AlgorithmOverrides {
  kex?: AlgorithmChoice;
  serverHostKey?: AlgorithmChoice;
  cipher?: AlgorithmChoice;
  hmac?: AlgorithmChoice;
}

/** What older game hosts still need on top of ssh2's modern defaults. */
export const LEGACY_ALGORITHMS: Readonly<AlgorithmOverrides> = Object.freeze({
  kex: { append: ['diffie-hellman-group14-sha1'] },
  serverHostKey: { append: ['ssh-rsa'] },
  cipher: { append: ['aes128-cbc'] },
  hmac: { append: ['hmac-sha1'] },
});

/** One game server's SFTP account. Holds secrets: never log this object. */
export interface SftpServerConfig {
  host: string;
  /** 22 unless set; some game hosts use 8822. */
  port?: number;
  username: string;
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string;
  passphrase?: string;
  /**
   * The host key fingerprint stored for this server (`SHA256:...` as `ssh-keygen -l` prints it, or 64
   * hex digits). Absent: trust on first use; the source reports the key it saw so the caller stores it.
   */
  hostKey?: string;
  algorithms?: AlgorithmOverrides;
  /** TCP connect plus SSH handshake and login. Default 15 s. */
  connectTimeoutMs?: number;
  /** Any one stat, listing or read; past it the connection is dropped. Default 30 s. */
  operationTimeoutMs?: number;
  /** SSH keepalive interval. Default 10 s; the connection is declared dead after 3 unanswered. */
  keepaliveIntervalMs?: number;
}

export const SFTP_DEFAULTS = { port: 22, connectTimeoutMs: 15_000, operationTimeoutMs: 30_000, keepaliveIntervalMs: 10_000 } as const;

/** Checks a config and reports every problem at once, each naming the field and a good value. */
export function validateSftpConfig(config: SftpServerConfig): void {
  const problems: string[] = [];
  if (typeof config.host !== 'string' || config.host.trim() === '') problems.push('host is empty: give the SFTP host name or IP address from the game host\'s panel');
  if (config.port !== undefined && !(Number.isInteger(config.port) && config.port >= 1 && config.port <= 65_535)) {
    problems.push(`port ${String(config.port)} is not a port number: use a whole number from 1 to 65535 (usually 22 or 8822)`);
  }
  if (typeof config.username !== 'string' || config.username.trim() === '') problems.push('username is empty: give the SFTP login name');
  if (!config.password && !config.privateKey) problems.push('neither a password nor a private key is set: give one of them');
  if (config.hostKey !== undefined && normalizeFingerprint(config.hostKey) === null) {
    problems.push('hostKey is not a SHA-256 fingerprint: use the form SHA256:... that `ssh-keygen -l` prints, or clear it to trust on first use');
  }
  for (const key of ['connectTimeoutMs', 'operationTimeoutMs', 'keepaliveIntervalMs'] as const) {
    const value = config[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) problems.push(`${key} must be a positive number of milliseconds`);
  }
  if (problems.length > 0) throw SourceErrors.badConfig(`The SFTP settings for this server need fixing: ${problems.join('; ')}.`);
}

/** ssh2 options for one connection, apart from the host key check (the connection adds that). */
export function toConnectOptions(config: SftpServerConfig, debug?: (message: string) => void): ConnectOptions {
  const options: ConnectOptions = {
    host: config.host,
    port: config.port ?? SFTP_DEFAULTS.port,
    username: config.username,
    readyTimeout: config.connectTimeoutMs ?? SFTP_DEFAULTS.connectTimeoutMs,
    keepaliveInterval: config.keepaliveIntervalMs ?? SFTP_DEFAULTS.keepaliveIntervalMs,
    keepaliveCountMax: 3,
  };
  if (config.password) options.password = config.password;
  if (config.privateKey) options.privateKey = config.privateKey;
  if (config.passphrase) options.passphrase = config.passphrase;
  if (config.algorithms) options.algorithms = config.algorithms as ConnectOptions['algorithms'] & object;
  if (debug) options.debug = debug;
  return options;
}

/**
 * The canonical `SHA256:<base64, no padding>` form of a fingerprint given either that way or as 64 hex
 * digits (what ssh2 reports with `hostHash: 'sha256'`); null when it is neither.
 */
export function normalizeFingerprint(text: string): string | null {
  const trimmed = text.trim();
  if (/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(trimmed)) return trimmed.replace(/=$/, '');
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return `SHA256:${Buffer.from(trimmed, 'hex').toString('base64').replace(/=+$/, '')}`;
  return null;
}

/** `host:port`, how admin messages name the server. */
export function whereOf(config: SftpServerConfig): string {
  return `${config.host}:${config.port ?? SFTP_DEFAULTS.port}`;
}

/** The values that must never appear in a message or a log line. */
export function secretsOf(config: SftpServerConfig): string[] {
  return [config.password, config.passphrase, config.privateKey].filter((s): s is string => typeof s === 'string' && s !== '');
}
