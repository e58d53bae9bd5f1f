import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Deadside server's folder on this machine (a local-folder game server), with a death log of `rows`. */
export interface GameFolder {
  root: string;
  deathLog: string;
  remove(): void;
}

export function makeGameFolder(rows: readonly string[]): GameFolder {
  const root = mkdtempSync(join(tmpdir(), 'killfeed-bot-'));
  const deaths = join(root, 'Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0');
  mkdirSync(deaths, { recursive: true });
  mkdirSync(join(root, 'Deadside', 'Saved', 'Logs'), { recursive: true });
  const deathLog = join(deaths, '2025.05.15-00.00.00.csv');
  writeFileSync(deathLog, rows.map((r) => `${r}\n`).join(''));
  writeFileSync(join(root, 'Deadside', 'Saved', 'Logs', 'Deadside.log'), 'Log file open, 05/15/25 09:00:00\n');
  return { root, deathLog, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** One death-log row: `killer` kills `victim`. EOS ids are made from the names. */
export function killRow(time: string, killer: string, victim: string, weapon = 'AK-mod'): string {
  const eos = (name: string): string => `0002${Buffer.from(name).toString('hex').padEnd(28, '0').slice(0, 28)}`;
  return `2025.05.15-${time};${killer};${eos(killer)};${victim};${eos(victim)};${weapon};10;PS5;PS5;`;
}
