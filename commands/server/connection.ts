import { checkConnection, type ConnectionReport } from '../../src/app/connection-check.js';
import type { CommandContext } from '../../src/discord/context.js';
import { formatBytes, truncate } from '../../src/discord/format/index.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { serverMeta } from './find-server.js';

/** What each kind of failure asks of the admin, in this bot's commands. */
const NEXT_STEP: Partial<Record<string, string>> = {
  'auth-failed': 'Enter the login again with `/server edit login:True`.',
  unreachable: 'Fix the port with `/server edit port:`, or the host with `/server edit login:True`.',
  'host-key-changed': 'If the host did change its key, enter the login again with `/server edit login:True` to trust the new one.',
  'not-found': 'Fix the paths with `/server edit death-logs-path:` / `server-log-path:`, or set them to `-` to let the bot search.',
};

/** Discord's limit on a message's content. */
const MESSAGE_MAX = 2_000;

/**
 * A path as shown in a reply: up to `max` characters, a longer one with its middle cut (its start
 * and its end, the file or folder name, are what an admin recognises). Paths may be 1,024 long,
 * and a reply echoing two of them would pass Discord's 2,000 characters.
 */
export function shownPath(path: string, max = 240): string {
  if (path.length <= max) return path;
  const head = Math.floor((max - 1) / 3);
  return `${path.slice(0, head)}…${path.slice(path.length - (max - 1 - head))}`;
}

/** A reply's content within Discord's 2,000 characters (a cut one ends with `…`). */
export function withinMessage(content: string): string {
  return truncate(content, MESSAGE_MAX);
}

/** Runs the connection check as interactive work in the pool (it shows in `/admin tasks`). */
export function runConnectionCheck(ctx: CommandContext, guild: GuildStore, server: GameServer): Promise<ConnectionReport> {
  return ctx.pool.runIo(() => checkConnection({ guild, server, sftp: ctx.sftp, logger: ctx.logger }), {
    label: 'connection-check', priority: 'HIGH', meta: serverMeta(server),
  });
}

/** The report in plain words: what was found and what is missing, or exactly what failed and what to do. */
export function describeConnection(report: ConnectionReport): string {
  if (!report.ok) return [`**Could not read ${report.where}.**`, truncate(report.message, 1_200), NEXT_STEP[report.kind] ?? ''].filter((l) => l !== '').join('\n');
  const lines = [`Connected to ${report.where}.`];
  if (report.hostKey?.firstUse) lines.push(`Its host key ${report.hostKey.fingerprint} is trusted from now on; a different one will be refused.`);
  if (report.deathLogDir === null) {
    lines.push('No `deathlogs` folder was found under the login folder: set it with `/server edit death-logs-path:`.');
  } else if (report.deathLogs.length === 0) {
    lines.push(`Death logs: \`${shownPath(report.deathLogDir)}\` holds no day files (named like 2025.05.15-00.00.00.csv) yet.`);
  } else {
    const bytes = report.deathLogs.reduce((sum, f) => sum + f.size, 0);
    const first = report.deathLogs[0]?.name ?? '';
    const last = report.deathLogs.at(-1)?.name ?? '';
    const files = report.deathLogs.length === 1 ? `1 file (${first})` : `${report.deathLogs.length} files (${first} to ${last})`;
    lines.push(`Death logs: \`${shownPath(report.deathLogDir)}\`, ${files}, ${formatBytes(bytes)}.`);
  }
  lines.push(report.serverLogPath === null
    ? 'No `Deadside.log` was found: the online players stay unknown until it is set with `/server edit server-log-path:`.'
    : `Server log: \`${shownPath(report.serverLogPath)}\`.`);
  if (report.otherDeathLogDirs.length > 0) {
    lines.push(`Other death-log folders seen (${report.otherDeathLogDirs.slice(0, 3).map((d) => shownPath(d, 120)).join(', ')}): this login may hold several game servers; set \`death-logs-path\` to pick one.`);
  }
  return lines.join('\n');
}
