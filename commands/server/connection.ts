import { checkConnection, type ConnectionReport } from '../../src/app/connection-check.js';
import type { CommandContext } from '../../src/discord/context.js';
import { formatBytes } from '../../src/discord/format/index.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { serverMeta } from './find-server.js';

/** What each kind of failure asks of the admin, in this bot's commands. */
const NEXT_STEP: Partial<Record<string, string>> = {
  'auth-failed': 'Enter the login again with `/server edit login:True`.',
  unreachable: 'Fix the port with `/server edit port:`, or the host with `/server edit login:True`.',
  'host-key-changed': 'If the host did change its key, enter the login again with `/server edit login:True` to trust the new one.',
  'not-found': 'Fix the paths with `/server edit death-logs-path:` / `server-log-path:`, or set them to `-` to let the bot search.',
};

/** Runs the connection check as interactive work in the pool (it shows in `/admin tasks`). */
export function runConnectionCheck(ctx: CommandContext, guild: GuildStore, server: GameServer): Promise<ConnectionReport> {
  return ctx.pool.runIo(() => checkConnection({ guild, server, sftp: ctx.sftp, logger: ctx.logger }), {
    label: 'connection-check', priority: 'HIGH', meta: serverMeta(server),
  });
}

/** The report in plain words: what was found and what is missing, or exactly what failed and what to do. */
export function describeConnection(report: ConnectionReport): string {
  if (!report.ok) return [`**Could not read ${report.where}.**`, report.message, NEXT_STEP[report.kind] ?? ''].filter((l) => l !== '').join('\n');
  const lines = [`Connected to ${report.where}.`];
  if (report.hostKey?.firstUse) lines.push(`Its host key ${report.hostKey.fingerprint} is trusted from now on; a different one will be refused.`);
  if (report.deathLogDir === null) {
    lines.push('No `deathlogs` folder was found under the login folder: set it with `/server edit death-logs-path:`.');
  } else if (report.deathLogs.length === 0) {
    lines.push(`Death logs: \`${report.deathLogDir}\` holds no day files (named like 2025.05.15-00.00.00.csv) yet.`);
  } else {
    const bytes = report.deathLogs.reduce((sum, f) => sum + f.size, 0);
    const first = report.deathLogs[0]?.name ?? '';
    const last = report.deathLogs.at(-1)?.name ?? '';
    const files = report.deathLogs.length === 1 ? `1 file (${first})` : `${report.deathLogs.length} files (${first} to ${last})`;
    lines.push(`Death logs: \`${report.deathLogDir}\`, ${files}, ${formatBytes(bytes)}.`);
  }
  lines.push(report.serverLogPath === null
    ? 'No `Deadside.log` was found: the online players stay unknown until it is set with `/server edit server-log-path:`.'
    : `Server log: \`${report.serverLogPath}\`.`);
  if (report.otherDeathLogDirs.length > 0) {
    lines.push(`Other death-log folders seen (${report.otherDeathLogDirs.slice(0, 3).join(', ')}): this login may hold several game servers; set \`death-logs-path\` to pick one.`);
  }
  return lines.join('\n');
}
