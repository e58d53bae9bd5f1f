import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveServer } from './live-server.js';

/** Where a Deadside server keeps its files, relative to its folder (what discovery finds on real hosts). */
export const LIVE_DEATH_LOGS = join('Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0');
export const LIVE_SERVER_LOG = join('Deadside', 'Saved', 'Logs', 'Deadside.log');

/**
 * A simulated server's folder on this machine, written as the game writes it: one death-log CSV per
 * UTC day (`YYYY.MM.DD-00.00.00.csv`) and `Deadside.log`, both appended to as time goes on. A
 * local-folder game server of the bot reads it like a host's SFTP folder.
 */
export class LiveFolder {
  readonly deathLogDir: string;
  readonly serverLogPath: string;

  constructor(readonly root: string, readonly server: LiveServer) {
    this.deathLogDir = join(root, LIVE_DEATH_LOGS);
    this.serverLogPath = join(root, LIVE_SERVER_LOG);
    mkdirSync(this.deathLogDir, { recursive: true });
    mkdirSync(join(root, 'Deadside', 'Saved', 'Logs'), { recursive: true });
    writeFileSync(this.serverLogPath, server.openingLines().join(''));
  }

  /**
   * Plays the server up to `until` (ms) and appends what it wrote; returns the death rows written
   * (with their times, for measuring how soon they reach Discord).
   */
  advanceTo(until: number): { time: number; row: string }[] {
    const out = this.server.advanceTo(until);
    const byDay = new Map<string, string[]>();
    for (const d of out.deaths) byDay.set(d.day, [...(byDay.get(d.day) ?? []), d.row]);
    for (const [day, rows] of byDay) appendFileSync(join(this.deathLogDir, `${day}-00.00.00.csv`), rows.join(''));
    if (out.serverLog.length > 0) appendFileSync(this.serverLogPath, out.serverLog.join(''));
    return out.deaths.map(({ time, row }) => ({ time, row }));
  }
}
