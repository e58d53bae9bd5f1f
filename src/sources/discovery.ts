import { DEATH_LOG_NAME } from './death-log-plan.js';
import { SourceError, SourceErrors } from './errors.js';
import { joinPath, type DirEntry, type LogSource } from './types.js';

/** Where one server's files are, relative to the source root. */
export interface ServerLayout {
  /** The folder holding the day CSVs (`.../deathlogs/world_0`), or null when none was found. */
  deathLogDir: string | null;
  /** `.../Logs/Deadside.log`, or null when none was found. */
  serverLogPath: string | null;
  /** Every candidate seen, shallowest first: more than one means the account holds several servers. */
  candidates: { deathLogDirs: string[]; serverLogPaths: string[] };
  /** Folders listed while searching. */
  foldersListed: number;
}

export interface DiscoverOptions {
  /** Where to start; `.` (the SFTP login directory) by default. */
  root?: string;
  maxDepth?: number;
  /** Configured paths win over searching; they are checked to exist. */
  deathLogDir?: string;
  serverLogPath?: string;
  /** Stop after listing this many folders (a huge tree over a slow link). Default 300. */
  maxFolders?: number;
}

/** Folders of a game install that never hold the logs and can be large. */
const NEVER_SEARCHED = new Set(['Binaries', 'Content', 'Engine', 'Plugins', 'Paks', '.git', 'node_modules']);

/**
 * Finds the death-log folder (a `deathlogs` folder with `world_*` below it) and `Deadside.log`, walking
 * breadth first to `maxDepth` unless both paths are configured. With several candidates, the
 * `Deadside.log` sharing the longest path prefix with the chosen death-log folder is taken.
 */
export async function discoverLayout(source: LogSource, options: DiscoverOptions = {}): Promise<ServerLayout> {
  const found = { deathLogDirs: [] as string[], serverLogPaths: [] as string[] };
  if (options.deathLogDir !== undefined) found.deathLogDirs.push(await mustExist(source, options.deathLogDir, true));
  if (options.serverLogPath !== undefined) found.serverLogPaths.push(await mustExist(source, options.serverLogPath, false));
  const needDeath = options.deathLogDir === undefined;
  const needServer = options.serverLogPath === undefined;
  let foldersListed = 0;
  let level = [options.root ?? '.'];
  for (let depth = 0; depth <= (options.maxDepth ?? 6) && level.length > 0; depth += 1) {
    if ((!needDeath || found.deathLogDirs.length > 0) && (!needServer || found.serverLogPaths.length > 0)) break;
    const next: string[] = [];
    for (const dir of level) {
      if (foldersListed >= (options.maxFolders ?? 300)) break;
      const entries = await source.list(dir).catch(skipUnreadable);
      foldersListed += 1;
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const path = joinPath(dir, entry.name);
        if (needServer && !entry.isDir && entry.name === 'Deadside.log') found.serverLogPaths.push(path);
        if (!entry.isDir || NEVER_SEARCHED.has(entry.name)) continue;
        if (needDeath && entry.name.toLowerCase() === 'deathlogs') {
          const world = await pickWorld(source, path);
          foldersListed += 1;
          if (world) found.deathLogDirs.push(world);
          continue;
        }
        next.push(path);
      }
    }
    level = next;
  }
  const deathLogDir = found.deathLogDirs[0] ?? null;
  return { deathLogDir, serverLogPath: closest(found.serverLogPaths, deathLogDir), candidates: found, foldersListed };
}

/** Death-log files of a folder, sorted by name (oldest first: the last is the live file). */
export async function listDeathLogs(source: LogSource, dir: string): Promise<{ files: (DirEntry & { path: string })[]; ignored: number }> {
  const entries = await source.list(dir);
  const files = entries.filter((e) => !e.isDir && DEATH_LOG_NAME.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => ({ ...e, path: joinPath(dir, e.name) }));
  return { files, ignored: entries.filter((e) => !e.isDir).length - files.length };
}

/** The `world_*` folder under `deathlogs` whose newest CSV is the newest (world_0 on every server seen). */
async function pickWorld(source: LogSource, deathlogs: string): Promise<string | null> {
  const worlds = (await source.list(deathlogs).catch(skipUnreadable)).filter((e) => e.isDir && /^world_/i.test(e.name));
  if (worlds.length <= 1) return worlds[0] ? joinPath(deathlogs, worlds[0].name) : null;
  let best: { path: string; newest: string } | null = null;
  for (const world of worlds.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = joinPath(deathlogs, world.name);
    const newest = (await listDeathLogs(source, path).catch(async (e: unknown) => ({ files: await skipUnreadable(e) }))).files.at(-1)?.name ?? '';
    if (best === null || newest > best.newest) best = { path, newest };
  }
  return best?.path ?? null;
}

async function mustExist(source: LogSource, path: string, dir: boolean): Promise<string> {
  const info = await source.stat(path);
  if (info.isDir !== dir) {
    throw SourceErrors.badConfig(`${path} on ${source.label} is a ${info.isDir ? 'folder' : 'file'}, but the ${dir ? 'death-log setting needs the folder holding the .csv files' : 'server-log setting needs the Deadside.log file'}.`);
  }
  return path;
}

function closest(paths: readonly string[], anchor: string | null): string | null {
  if (anchor === null || paths.length <= 1) return paths[0] ?? null;
  const shared = (p: string): number => {
    const a = p.split('/');
    const b = anchor.split('/');
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
    return n;
  };
  return [...paths].sort((x, y) => shared(y) - shared(x))[0] ?? null;
}

/**
 * A folder that vanished or may not be read is passed over while searching; anything else (the host
 * is down, the login was refused, a timeout) is the answer to the tick and must reach the admin.
 */
async function skipUnreadable(error: unknown): Promise<DirEntry[]> {
  if (error instanceof SourceError && (error.kind === 'not-found' || error.kind === 'permission-denied')) return [];
  throw error;
}
