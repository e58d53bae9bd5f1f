import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotHarness } from '../discord/harness.js';
import type { Sshd } from '../helpers/sshd.js';
import { fixtureBytes, realDeathLogs } from '../helpers/fixtures.js';

/** The folder, under the SFTP login folder, where a game host keeps a server's files (found by searching). */
export const MAIN_DEATH_LOGS = 'Deadside/Saved/actual1/deathlogs/world_0';
export const MAIN_SERVER_LOG = 'Deadside/Saved/Logs/Deadside.log';

/** Copies real death logs (by their index in file-name order) into `folder` under the SFTP root. */
export function putDeathLogs(sshd: Sshd, folder: string, which: readonly number[]): void {
  const dir = join(sshd.root, folder);
  mkdirSync(dir, { recursive: true });
  const logs = realDeathLogs();
  for (const i of which) writeFileSync(join(dir, logs[i]!.name), logs[i]!.bytes);
}

/** A game server's files as a host lays them out: the four real death logs and a Deadside.log. */
export function putGameServer(sshd: Sshd): void {
  putDeathLogs(sshd, MAIN_DEATH_LOGS, [0, 1, 2, 3]);
  mkdirSync(join(sshd.root, 'Deadside/Saved/Logs'), { recursive: true });
  writeFileSync(join(sshd.root, MAIN_SERVER_LOG), fixtureBytes('serverlog/Deadside.synthetic.log'));
}

/** The login form as an admin fills it in; `fields` replaces any of its values. */
export function loginForm(sshd: Sshd, fields: Record<string, string> = {}): Record<string, string> {
  return { host: sshd.host, port: String(sshd.port), username: sshd.user, password: sshd.password, 'private-key': '', ...fields };
}

/** `/server add name:<name>` then the form: resolves with the form's answer once it is final. */
export async function addThroughForm(h: BotHarness, name: string, fields: Record<string, string>, guildId = h.guild.id): Promise<string> {
  const shown = await h.dev.command({ guildId, user: 'admin', name: 'server', subcommand: 'add', options: { name } }).acknowledged;
  if (shown.type !== 9) throw new Error(`expected the login form (callback type 9), got ${shown.type}: ${JSON.stringify(shown.data)}`);
  const submit = h.dev.modalSubmit({ guildId, user: 'admin', customId: `server:add:${name}`, fields });
  const ack = await submit.acknowledged;
  if (ack.type === 4) return String(ack.data?.content);
  return (await submit.waitForOriginal((m) => m.content !== '', 30_000)).content;
}

/** A subcommand run by the guild's admin: its final answer (content, or the embed as JSON). */
export async function adminRuns(h: BotHarness, subcommand: string, options: Record<string, string | number | boolean> = {}, guildId = h.guild.id): Promise<string> {
  const run = h.dev.command({ guildId, user: 'admin', name: 'server', subcommand, options });
  const message = await run.waitForOriginal((m) => m.content !== '' || m.embeds.length > 0, 30_000);
  return message.embeds.length > 0 ? JSON.stringify(message.embeds) : message.content;
}

/**
 * An OpenSSH private key made by ssh-keygen: `from` (say, the key sshd authorizes) protected with
 * `passphrase`, or a new key no server knows.
 */
export function sshKey(o: { from?: string; passphrase?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-key-'));
  try {
    const file = join(dir, 'key');
    if (o.from === undefined) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', o.passphrase ?? '', '-f', file]);
    } else {
      writeFileSync(file, o.from, { mode: 0o600 });
      execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', o.passphrase ?? '', '-f', file]);
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
