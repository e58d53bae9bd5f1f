/**
 * What the ingest side needs from a game server's files, whether they sit behind SFTP or in a local
 * folder. Paths are POSIX-style and relative to the source's root (the SFTP login directory, or the
 * folder given to the local source); `.` is the root itself.
 */
export interface LogSource {
  /** Short label for logs and admin messages (`sftp://user@host:port` or `local:/path`); never a secret. */
  readonly label: string;
  /** Entries of a folder, without `.` and `..`, in no particular order. */
  list(dir: string): Promise<DirEntry[]>;
  /** Size and modification time of one file or folder. */
  stat(path: string): Promise<FileStat>;
  /**
   * The bytes of `path` from `start` to its end (or `maxBytes` of them). Empty when `start` is at or
   * past the end: only what was appended since a stored offset is ever downloaded. The bytes fill a
   * buffer of their own, so a caller may move it to a worker thread.
   */
  read(path: string, options: ReadOptions): Promise<Uint8Array>;
  /** The first `n` bytes (fewer if the file is shorter): what a fingerprint is taken over. */
  readHead(path: string, n: number): Promise<Uint8Array>;
  /** Releases connections or handles; the source is not used afterwards. */
  close(): Promise<void>;
}

export interface DirEntry {
  name: string;
  size: number;
  /** Milliseconds since the epoch. SFTP reports whole seconds. */
  mtimeMs: number;
  isDir: boolean;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  isDir: boolean;
}

export interface ReadOptions {
  /** Byte offset to start at (the stored cursor offset). */
  start: number;
  /** Upper bound on bytes returned, so a huge first read of `Deadside.log` is done in slices. */
  maxBytes?: number;
}

/** Joins POSIX path parts the way both sources expect (`.` drops out). */
export function joinPath(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '' && p !== '.');
  if (kept.length === 0) return '.';
  return kept.join('/').replace(/\/{2,}/g, '/');
}

/** The last component of a POSIX path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
