import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Expands files and folders into death-log CSV paths in file-name order (the order rows are applied
 * in). Folders contribute their `*.csv` files; anything missing is a plain error naming the path.
 */
export async function collectDeathLogFiles(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new Error('Name at least one death-log CSV file or a folder that holds them.');
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new Error(`${path} does not exist: name a death-log CSV file or a folder that holds them.`);
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.csv'));
      if (names.length === 0) throw new Error(`${path} holds no .csv files.`);
      files.push(...names.map((n) => join(path, n)));
    } else files.push(path);
  }
  // Sort by file name (which is the day), not by path: the same day's order whatever the folders.
  return files.sort((a, b) => basename(a).localeCompare(basename(b)) || a.localeCompare(b));
}
