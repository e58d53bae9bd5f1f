/**
 * The load `bench/interactions.bench.ts` runs commands under: a generated 1M-row history for one
 * game server and 100 small live servers, all local folders laid out as a Deadside server's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDeathLogHistory } from '../src/generator/death-log.js';

const DEATH_LOGS = join('Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0');
const SERVER_LOG = join('Deadside', 'Saved', 'Logs', 'Deadside.log');

export interface LoadFolders {
  historyRoot: string;
  historyRows: number;
  liveRoots: string[];
}

/** Writes the folders under `root`: 10 daily files of 100,000 rows, and `liveServers` servers with one short live file each. */
export function writeLoadFolders(root: string, liveServers: number): LoadFolders {
  const days = generateDeathLogHistory({ seed: 2026, days: 10, rowsPerDay: 100_000, players: 2000 });
  const historyRoot = join(root, 'history');
  mkdirSync(join(historyRoot, DEATH_LOGS), { recursive: true });
  for (const d of days) writeFileSync(join(historyRoot, DEATH_LOGS, d.name), d.text);
  const liveRoots = Array.from({ length: liveServers }, (_, i) => {
    const live = join(root, `live-${i}`);
    mkdirSync(join(live, DEATH_LOGS), { recursive: true });
    mkdirSync(join(live, 'Deadside', 'Saved', 'Logs'), { recursive: true });
    const [day] = generateDeathLogHistory({ seed: i, days: 1, rowsPerDay: 200, players: 50, startDate: '2026-12-01' });
    writeFileSync(join(live, DEATH_LOGS, day?.name ?? '2026.12.01-00.00.00.csv'), day?.text ?? '');
    writeFileSync(join(live, SERVER_LOG), 'Log file open, 12/01/26 00:00:00\n');
    return live;
  });
  return { historyRoot, historyRows: days.reduce((n, d) => n + d.rows, 0), liveRoots };
}
