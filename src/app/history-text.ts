import type { HistoryProgress, HistoryReport } from '../ingest/history-run.js';
import { formatBytes, formatDuration } from '../discord/format/index.js';
import type { SourceErrorKind } from '../sources/index.js';

/** Failures whose message is written for a server admin (src/sources/errors.ts): shown as they are. */
const SOURCE_KINDS: ReadonlySet<string> = new Set<SourceErrorKind>([
  'auth-failed', 'unreachable', 'timeout', 'host-key-changed', 'not-found', 'permission-denied', 'bad-config', 'failed',
]);

const count = (n: number): string => n.toLocaleString('en-US');

/** `2/4 files, 12,345 rows, 5,000 rows/s, about 1m 05s left`; `starting` before the first report. */
export function describeHistoryProgress(progress: HistoryProgress | null): string {
  if (progress === null) return 'starting (waiting for its turn or listing the files)';
  const parts = [
    `${count(progress.filesDone ?? 0)}/${count(progress.filesTotal ?? 0)} files`,
    `${count(progress.rowsDone ?? 0)} rows`,
    `${formatBytes(progress.bytesDone ?? 0)} of ${formatBytes(progress.bytesTotal ?? 0)}`,
    `${count(progress.rowsPerSecond)} rows/s`,
  ];
  if (progress.etaSeconds !== null) parts.push(`about ${formatDuration(progress.etaSeconds * 1000)} left`);
  return parts.join(', ');
}

/** The summary of a finished run. */
export function describeHistoryReport(serverName: string, report: HistoryReport): string {
  const skipped = report.filesSkipped > 0 ? ` (${count(report.filesSkipped)} already read before)` : '';
  const malformed = report.malformed > 0 ? `, ${count(report.malformed)} malformed rows skipped (counted, see the log)` : '';
  return `History of **${serverName}** read: ${count(report.files)} death-log files${skipped}, ${count(report.rows)} rows${malformed}, `
    + `${formatBytes(report.bytes)} in ${formatDuration(report.seconds * 1000)}.`;
}

/** How a run that did not finish ended, in words for the member: cancelled, or why it failed. */
export function describeHistoryFailure(serverName: string, error: unknown): string {
  const kind = (error as { kind?: unknown } | null)?.kind;
  if (kind === 'cancelled') {
    return `History run of **${serverName}** cancelled. What it had read is kept: \`/server history\` continues from there.`;
  }
  if (kind === 'interrupted') {
    return `History run of **${serverName}** paused: the bot is restarting. It continues from where it got to when the bot is back.`;
  }
  if (typeof kind === 'string' && SOURCE_KINDS.has(kind) && error instanceof Error) {
    return `History run of **${serverName}** failed: ${error.message}`;
  }
  return `History run of **${serverName}** failed on the bot's side; the bot's admins find the details in its log. What it had read is kept.`;
}
