import { open, readdir, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { classifyError, SourceErrors } from './errors.js';
import type { DirEntry, FileStat, LogSource, ReadOptions } from './types.js';

/**
 * A LogSource over a folder on this machine: for owners who run the bot on the game host, for the
 * demo and for tests. Paths are relative to `root` and may not climb out of it.
 */
export function createLocalSource(root: string): LogSource {
  const base = resolve(root);
  const where = `local folder ${base}`;
  const inside = (path: string): string => {
    const full = resolve(base, path);
    const rel = relative(base, full);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw SourceErrors.badConfig(`The path ${path} leaves the server folder ${base}: use a path inside it.`);
    }
    return full;
  };
  const guard = async <T>(path: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw classifyError(error, { where, path });
    }
  };

  return {
    label: `local:${base}`,
    list: (dir) => guard(dir, async () => {
      const entries = await readdir(inside(dir), { withFileTypes: true });
      const out: DirEntry[] = [];
      for (const entry of entries) {
        // An entry can vanish between readdir and stat (a rotated log): skip it rather than fail the listing.
        const info = await stat(resolve(inside(dir), entry.name)).catch(() => null);
        if (info) out.push({ name: entry.name, size: info.size, mtimeMs: info.mtimeMs, isDir: info.isDirectory() });
      }
      return out;
    }),
    stat: (path) => guard(path, async (): Promise<FileStat> => {
      const info = await stat(inside(path));
      return { size: info.size, mtimeMs: info.mtimeMs, isDir: info.isDirectory() };
    }),
    read: (path, options) => guard(path, () => readRange(inside(path), options)),
    readHead: (path, n) => guard(path, () => readRange(inside(path), { start: 0, maxBytes: n })),
    close: () => Promise.resolve(),
  };
}

async function readRange(file: string, options: ReadOptions): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const want = Math.max(0, Math.min(size - options.start, options.maxBytes ?? Number.POSITIVE_INFINITY));
    const buffer = new Uint8Array(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await handle.read(buffer, filled, want - filled, options.start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === want ? buffer : buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
