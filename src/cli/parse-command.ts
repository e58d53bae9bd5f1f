import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { emptySummary, mergeSummaries, parseDeathLog, summarize } from '../../parsers/index.js';
import { collectDeathLogFiles } from './csv-files.js';
import { formatStatsReport, toStatsReport } from './stats-report.js';
import type { CliIo } from './io.js';

/**
 * `killfeed parse <file-or-folder>... [--json]`: the counting rules applied to death-log files on
 * disk, with no database and no Discord. Admins use it to check a file; tests use it to check the CLI.
 */
export async function runParseCommand(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const files = await collectDeathLogFiles(args.filter((a) => a !== '--json'));
  let all = emptySummary();
  for (const path of files) {
    const batch = parseDeathLog(basename(path), await readFile(path), { final: true });
    for (const m of batch.malformed.slice(0, 20)) io.err(`malformed: ${path}:${m.line}: ${m.reason}`);
    if (batch.malformed.length > 20) io.err(`malformed: ${path}: ${batch.malformed.length - 20} more`);
    all = mergeSummaries(all, summarize(batch));
    io.err(`parsed ${path}: ${batch.rows} rows`);
  }
  const report = toStatsReport(all);
  io.out(json ? JSON.stringify(report) : formatStatsReport(report));
  return 0;
}
