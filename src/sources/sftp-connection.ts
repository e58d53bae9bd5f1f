import { createHash } from 'node:crypto';
import SftpClient from 'ssh2-sftp-client';
import { classifyError, SourceErrors, type SourceError } from './errors.js';
import { secretsOf, toConnectOptions, whereOf, type SftpServerConfig } from './sftp-config.js';

/** What happened to a connection, for the caller's logger (never carries options or secrets). */
export type ConnectionEvent = (event: 'error' | 'end' | 'close', detail: { where: string; message?: string }) => void;

/** One logged-in SFTP session. */
export interface SftpConnection {
  readonly client: SftpClient;
  /** `SHA256:...` of the key the server presented. */
  readonly hostKey: string;
  /** False once the server closed it, it failed, or it was destroyed. */
  readonly alive: boolean;
  /** Drops the socket at once: for a frozen server, where a polite `end()` would never finish. */
  destroy(): void;
  /** Polite close, bounded so shutdown never waits on a dead peer. */
  end(): Promise<void>;
}

export interface OpenOptions {
  /** The fingerprint the server must present; undefined trusts whatever it presents. */
  expectedHostKey: string | undefined;
  onEvent?: ConnectionEvent;
  debug?: (message: string) => void;
}

/** `SHA256:<base64>` exactly as `ssh-keygen -l -E sha256` prints it. */
export function fingerprintKey(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Connects and logs in, within the connect timeout even when the server accepts TCP and then says
 * nothing. Failures come back as SourceErrors (auth, unreachable, timeout, host key changed).
 */
export async function openConnection(config: SftpServerConfig, options: OpenOptions): Promise<SftpConnection> {
  const where = whereOf(config);
  let alive = true;
  const onEvent = options.onEvent ?? ((): void => undefined);
  // The library's defaults print to the console; ours only flag the connection dead and report.
  const client = new SftpClient(where, {
    error: (err) => { alive = false; onEvent('error', { where, message: (err as Error).message }); },
    end: () => { alive = false; onEvent('end', { where }); },
    close: () => { alive = false; onEvent('close', { where }); },
  });
  let presented: string | undefined;
  const connectOptions = {
    ...toConnectOptions(config, options.debug),
    hostVerifier: (key: Buffer): boolean => {
      presented = fingerprintKey(key);
      return options.expectedHostKey === undefined || options.expectedHostKey === presented;
    },
  };
  const destroy = (): void => { alive = false; (client as unknown as { client: { destroy(): void } }).client.destroy(); };
  const limitMs = (config.connectTimeoutMs ?? 15_000) + 2_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(connectOptions),
      new Promise((_, reject) => { timer = setTimeout(() => reject(SourceErrors.timedOut(where, 'connecting', limitMs)), limitMs); }),
    ]);
  } catch (error) {
    destroy();
    throw connectFailure(error, config, presented, options.expectedHostKey);
  } finally {
    clearTimeout(timer);
  }
  return {
    client,
    hostKey: presented ?? 'unknown',
    get alive() { return alive && (client as unknown as { sftp?: unknown }).sftp !== undefined; },
    destroy,
    end: async () => {
      alive = false;
      await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
      destroy();
    },
  };
}

function connectFailure(error: unknown, config: SftpServerConfig, presented: string | undefined, expected: string | undefined): SourceError {
  const where = whereOf(config);
  if (expected !== undefined && presented !== undefined && presented !== expected) {
    return SourceErrors.hostKeyChanged(where, expected, presented);
  }
  const message = error instanceof Error ? error.message : String(error);
  const unsupported = /Unsupported algorithm: (\S+)/.exec(message);
  if (unsupported) {
    return SourceErrors.badConfig(`The SFTP settings for ${where} name an algorithm the bot does not know: ${unsupported[1] ?? ''}. Check the spelling in the algorithm lists.`);
  }
  const noMatch = /no matching (\S+(?: \S+)?) algorithm/i.exec(message);
  if (noMatch) {
    return SourceErrors.badConfig(`The SFTP server at ${where} and the bot share no ${noMatch[1] ?? ''} algorithm: adjust the algorithm lists in this server's settings (older hosts need ssh-rsa, diffie-hellman-group14-sha1, aes128-cbc or hmac-sha1).`);
  }
  if (/private ?key|passphrase/i.test(message)) {
    return SourceErrors.badConfig(`The private key set for ${where} could not be used: paste the whole key text (BEGIN to END lines) and check its passphrase.`);
  }
  const classified = classifyError(error, { where, secrets: secretsOf(config) });
  if (classified.kind === 'timeout') return SourceErrors.timedOut(where, 'connecting', config.connectTimeoutMs ?? 15_000);
  return classified;
}
