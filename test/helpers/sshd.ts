import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real OpenSSH server on loopback for tests: its own config, host key, log and SFTP root under a
 * temp dir, one login account of its own (random name and password, key too), `ForceCommand
 * internal-sftp -d <root>`. See docs/offline-stand-ins.md. Start with `startSshd()`, always `stop()`
 * in afterAll: it removes the account (so does the process's exit, and the next start removes what
 * a killed test process left).
 */
export interface Sshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** OpenSSH private key (ed25519) whose public half is authorized for `user`. */
  readonly privateKey: string;
  /** Files the SFTP user sees; `/` in SFTP paths resolves to the login dir, which is this root. */
  readonly root: string;
  /** `SHA256:...`, as `ssh-keygen -l` prints it, of the host key the server presents now. */
  hostKeyFingerprint(): string;
  /** sshd's own log (LogLevel VERBOSE; internal-sftp logs each open/stat there too). */
  log(): string;
  /** Processes serving open connections (children of the listener, recursively). */
  sessionPids(): number[];
  /** Freezes every open session (SIGSTOP): the server then stops answering mid-operation. */
  freezeSessions(): number[];
  /** Lets frozen sessions run again (SIGCONT). */
  thawSessions(pids: readonly number[]): void;
  /** Stops and starts the listener on the same port; `newHostKey` makes it present a different key. */
  restart(o?: { newHostKey?: boolean }): Promise<void>;
  /** Kills the sessions first, then the listener, and removes the login account and the temp dir. */
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Offer the legacy algorithms some game hosts still need (ssh-rsa, group14-sha1, aes128-cbc, hmac-sha1). */
  legacy?: boolean;
}

const SSHD = '/usr/sbin/sshd';
/**
 * Test accounts are named `ds-sftp-<pid>-<random>`: one per server, so test files starting servers
 * in parallel never share or remove each other's, and the pid tells a leftover of a dead process.
 */
const USER_PREFIX = 'ds-sftp-';

/** Starts sshd on a free loopback port. Throws a plain explanation when OpenSSH is not installed. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  if (!existsSync(SSHD)) {
    throw new Error(
      `${SSHD} is missing, so the SFTP tests cannot start a real server. Install it with ` +
      '`apt-get update && apt-get install -y --no-install-recommends openssh-server`.',
    );
  }
  removeLeftoverUsers();
  const account = createUser();
  try {
    return await startFor(account, options);
  } catch (error) {
    account.remove();
    throw error;
  }
}

async function startFor(account: TestUser, options: SshdOptions): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-sshd-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'root');
  mkdirSync(root, { mode: 0o755 });
  mkdirSync('/run/sshd', { recursive: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o644);
  generateHostKeys(dir, options.legacy === true);
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, root, port, account.name, options.legacy === true));

  let listener = await launch(dir, port);
  // A test process that ends without its afterAll (an uncaught error) leaves no server, account or files.
  const abandon = () => {
    const pid = listener.pid;
    if (pid !== undefined) signalAll([...descendants(pid), pid], 'SIGKILL');
    account.remove();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', abandon);
  const sshd: Sshd = {
    host: '127.0.0.1', port, user: account.name, password: account.password, root,
    privateKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    hostKeyFingerprint: () => fingerprintOf(join(dir, options.legacy === true ? 'host_rsa.pub' : 'host_ed25519.pub')),
    log: () => (existsSync(join(dir, 'sshd.log')) ? readFileSync(join(dir, 'sshd.log'), 'utf8') : ''),
    sessionPids: () => descendants(listener.pid ?? -1),
    freezeSessions: () => signalAll(descendants(listener.pid ?? -1), 'SIGSTOP'),
    thawSessions: (pids) => { signalAll(pids, 'SIGCONT'); },
    restart: async (o = {}) => {
      await halt(listener);
      if (o.newHostKey === true) generateHostKeys(dir, options.legacy === true);
      listener = await launch(dir, port);
    },
    stop: async () => {
      process.off('exit', abandon);
      await halt(listener);
      account.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sshd;
}

interface TestUser {
  name: string;
  password: string;
  /** Deletes the account; safe to call twice. */
  remove(): void;
}

function createUser(): TestUser {
  const name = `${USER_PREFIX}${process.pid}-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  accountTool('useradd', ['-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', name]);
  const remove = () => deleteUser(name);
  try {
    accountTool('chpasswd', [], `${name}:${password}\n`);
  } catch (error) {
    remove();
    throw error;
  }
  return { name, password, remove };
}

function deleteUser(name: string): void {
  try {
    accountTool('userdel', ['-f', name]);
  } catch (error) {
    // Already gone (a second stop, or the sweep of another test file) is fine.
    if (!/does not exist/.test(String((error as { stderr?: unknown }).stderr))) throw error;
  }
}

/**
 * Runs useradd/chpasswd/userdel, waiting while another test file holds the lock on /etc/passwd or
 * /etc/shadow (they refuse at once with "cannot lock" rather than wait).
 */
function accountTool(command: string, args: string[], input?: string): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      execFileSync(command, args, { stdio: 'pipe', ...(input === undefined ? {} : { input }) });
      return;
    } catch (error) {
      if (attempt >= 100 || !/lock/i.test(String((error as { stderr?: unknown }).stderr))) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** Accounts of test processes that were killed before they could remove them. */
function removeLeftoverUsers(): void {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const name = line.split(':')[0] ?? '';
    const pid = name.startsWith(USER_PREFIX) ? Number(name.slice(USER_PREFIX.length).split('-')[0]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !existsSync(`/proc/${pid}`)) deleteUser(name);
  }
}

function generateHostKeys(dir: string, legacy: boolean): void {
  for (const name of ['host_ed25519', 'host_ed25519.pub', 'host_rsa', 'host_rsa.pub']) rmSync(join(dir, name), { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
  if (legacy) execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, 'host_rsa')]);
}

function sshdConfig(dir: string, root: string, port: number, user: string, legacy: boolean): string {
  const lines = [
    `Port ${port}`, 'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, legacy ? 'host_rsa' : 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `AllowUsers ${user}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication yes',
    'PubkeyAuthentication yes', 'KbdInteractiveAuthentication no', 'MaxStartups 100', 'MaxSessions 20',
    'LogLevel VERBOSE', 'Subsystem sftp internal-sftp',
    `ForceCommand internal-sftp -l VERBOSE -d ${root}`,
  ];
  if (legacy) {
    lines.push('HostKeyAlgorithms +ssh-rsa', 'KexAlgorithms +diffie-hellman-group14-sha1',
      'Ciphers +aes128-cbc', 'MACs +hmac-sha1');
  }
  return `${lines.join('\n')}\n`;
}

async function launch(dir: string, port: number): Promise<ChildProcess> {
  // -D keeps the listener our child, so stopping it waits on a real exit event, not on /proc polling.
  const child = spawn(SSHD, ['-D', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await accepts(port)) return child;
    const code = await Promise.race([exited, sleep(50).then(() => 'running' as const)]);
    if (code !== 'running') {
      const log = existsSync(join(dir, 'sshd.log')) ? readFileSync(join(dir, 'sshd.log'), 'utf8') : '';
      throw new Error(`sshd exited with code ${String(code)} before listening on port ${port}:\n${log}`);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s`);
}

async function halt(listener: ChildProcess): Promise<void> {
  const pid = listener.pid;
  if (pid === undefined || listener.exitCode !== null || listener.signalCode !== null) return;
  const sessions = descendants(pid);
  // Frozen sessions ignore SIGTERM until they run again; SIGKILL needs no cooperation.
  signalAll(sessions, 'SIGKILL');
  const exited = new Promise<void>((resolve) => listener.once('exit', () => resolve()));
  listener.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (listener.exitCode === null && listener.signalCode === null) {
    listener.kill('SIGKILL');
    await exited;
  }
  await Promise.all(sessions.map((p) => waitGone(p)));
}

/** All processes below `pid`, read from /proc (children before grandchildren). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = readPpid(Number(entry));
    if (ppid === null) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [...(parents.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    out.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return out;
}

function readPpid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): number[] {
  const hit: number[] = [];
  for (const pid of pids) {
    try { process.kill(pid, signal); hit.push(pid); } catch { /* already gone */ }
  }
  return hit;
}

async function waitGone(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    // The reaper is slow here: a zombie counts as gone (docs/offline-stand-ins.md).
    const status = existsSync(`/proc/${pid}/status`) ? safeRead(`/proc/${pid}/status`) : '';
    if (!/^State:\s*[^ZX]/m.test(status)) return;
    await sleep(20);
  }
}

function safeRead(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

function fingerprintOf(pubKeyPath: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubKeyPath], { encoding: 'utf8' });
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(out);
  if (!match) throw new Error(`ssh-keygen printed no SHA256 fingerprint for ${pubKeyPath}: ${out}`);
  return match[0];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
