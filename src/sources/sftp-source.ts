import { createHmac, randomBytes } from 'node:crypto';
import type SftpClient from 'ssh2-sftp-client';
import { classifyError, SourceError, SourceErrors } from './errors.js';
import { openConnection, type ConnectionEvent, type SftpConnection } from './sftp-connection.js';
import {
  normalizeFingerprint, secretsOf, SFTP_DEFAULTS, validateSftpConfig, whereOf, type SftpServerConfig,
} from './sftp-config.js';
import type { SftpPool } from './sftp-pool.js';
import type { DirEntry, FileStat, LogSource, ReadOptions } from './types.js';

/** A LogSource over SFTP that also tells which host key it trusted. */
export interface SftpSource extends LogSource {
  /**
   * Connects (or reuses a connection) and reports the server's host key. `firstUse` is true when no
   * key was pinned: the caller stores `hostKey` and passes it as `config.hostKey` from then on.
   */
  probe(): Promise<{ hostKey: string; firstUse: boolean }>;
}

/** What an SFTP source needs from the rest of the bot. */
export interface SftpSourceDeps {
  pool: SftpPool;
  /** Called once when a key is trusted on first use, so the caller can store the pin. */
  onHostKeyLearned?: (fingerprint: string) => void;
  onEvent?: ConnectionEvent;
  /** ssh2's own debug lines; leave unset in production (it is chatty and costs CPU). */
  debug?: (message: string) => void;
}

const READ_CHUNK = 262_144;
/** Per process, never stored or shown: only makes credential tags unguessable. */
const TAG_KEY = randomBytes(32);

/** Builds an SFTP source for one game server. Validates the config up front (bad-config errors). */
export function createSftpSource(config: SftpServerConfig, deps: SftpSourceDeps): SftpSource {
  validateSftpConfig(config);
  const where = whereOf(config);
  // Connections are shared per account and per credentials: a server entry with another (say, a
  // mistyped) password must log in itself, not borrow a connection another entry opened.
  const key = `${config.host}:${config.port ?? SFTP_DEFAULTS.port}:${config.username}:${credentialTag(config)}`;
  const operationTimeoutMs = config.operationTimeoutMs ?? SFTP_DEFAULTS.operationTimeoutMs;
  const configuredPin = config.hostKey === undefined ? undefined : (normalizeFingerprint(config.hostKey) ?? undefined);
  let pin = configuredPin;

  const connect = (): Promise<SftpConnection> => openConnection(config, {
    expectedHostKey: pin,
    ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
    ...(deps.debug ? { debug: deps.debug } : {}),
  });

  /** Leases a connection, runs one operation under the operation timeout, and gives it back. */
  const run = async <T>(what: string, path: string, op: (client: SftpClient) => Promise<T>): Promise<T> => {
    const connection = await deps.pool.acquire(key, connect);
    if (pin === undefined) {
      pin = connection.hostKey;
      deps.onHostKeyLearned?.(pin);
    } else if (connection.hostKey !== pin) {
      // A pooled connection opened for another server entry on the same account, with another pin.
      deps.pool.release(key, connection, true);
      throw SourceErrors.hostKeyChanged(where, pin, connection.hostKey);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        op(connection.client),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(SourceErrors.timedOut(where, `${what} ${path}`, operationTimeoutMs)), operationTimeoutMs);
        }),
      ]);
      deps.pool.release(key, connection, true);
      return result;
    } catch (error) {
      const failure = classifyError(error, { where, path, secrets: secretsOf(config) });
      // A path error leaves the session healthy; anything else may have broken it.
      const reusable = failure.kind === 'not-found' || failure.kind === 'permission-denied';
      deps.pool.release(key, connection, reusable);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    label: `sftp://${config.username}@${where}`,
    list: (dir) => run('listing', dir, async (client) => (await client.list(dir)).map(toEntry)),
    stat: (path) => run('checking', path, async (client): Promise<FileStat> => {
      const info = await client.stat(path);
      return { size: info.size, mtimeMs: info.modifyTime, isDir: info.isDirectory };
    }),
    read: (path, options) => run('reading', path, (client) => readRange(client, path, options)),
    readHead: (path, n) => run('reading', path, (client) => readRange(client, path, { start: 0, maxBytes: n })),
    probe: async () => {
      const firstUse = pin === undefined;
      await run('checking', '.', (client) => client.stat('.'));
      if (pin === undefined) throw new SourceError('failed', `No host key was seen for ${where}.`);
      return { hostKey: pin, firstUse };
    },
    // Connections belong to the shared pool (reused by other servers on the same account); it closes them.
    close: () => Promise.resolve(),
  };
}

function toEntry(item: SftpClient.FileInfo): DirEntry {
  return { name: item.name, size: item.size, mtimeMs: item.modifyTime, isDir: item.type === 'd' };
}

/**
 * Streams `[start, start + maxBytes)` and collects it; an offset at or past the end yields nothing. The
 * result is copied into its own buffer (small Buffers share Node's pool, which must not be transferred).
 */
function readRange(client: SftpClient, path: string, options: ReadOptions): Promise<Uint8Array> {
  if (options.maxBytes !== undefined && options.maxBytes <= 0) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const stream = client.createReadStream(path, {
      start: options.start,
      highWaterMark: READ_CHUNK,
      ...(options.maxBytes === undefined ? {} : { end: options.start + options.maxBytes - 1 }),
    });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // `on`, not `once`: a dropped session can fail pending requests one after another.
    stream.on('error', reject);
    stream.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

/**
 * A short tag of the login secrets, so pool keys differ by credentials without holding them. Keyed
 * with a secret made at start-up (pool keys are shown to admins): a weak password cannot be guessed
 * offline from its tag.
 */
function credentialTag(config: SftpServerConfig): string {
  return createHmac('sha256', TAG_KEY).update(`${config.password ?? ''}\0${config.privateKey ?? ''}\0${config.passphrase ?? ''}`).digest('hex').slice(0, 12);
}
