import { createHash } from 'node:crypto';

/** How many leading bytes identify a file: enough to cover a first CSV row or the `Log file open` line. */
export const FINGERPRINT_BYTES = 256;

/**
 * Where reading one file stopped. Store it as is (plain data; `carry` is bytes) and hand it back on the
 * next tick. `carry` and `nextLine` belong to the parser: after parsing a chunk, set them from
 * `parser.carry()` and `parser.nextLine`.
 */
export interface FileCursor {
  /** Path relative to the source root. */
  file: string;
  /** Bytes already taken (parsed, or held in `carry`). */
  offset: number;
  /** Size and modification time when last checked: unchanged means no download. */
  size: number;
  mtimeMs: number;
  /** `<n>:<sha256 hex>` of the first n (up to 256) bytes; '' before anything was read. */
  fingerprint: string;
  carry: Uint8Array;
  nextLine: number;
}

/** A cursor at the start of a file never read. */
export function newCursor(file: string): FileCursor {
  return { file, offset: 0, size: 0, mtimeMs: 0, fingerprint: '', carry: new Uint8Array(0), nextLine: 1 };
}

/** The fingerprint of a file whose first bytes are `head` (only the first 256 count). */
export function fingerprintOf(head: Uint8Array): string {
  const part = head.subarray(0, FINGERPRINT_BYTES);
  return `${part.length}:${createHash('sha256').update(part).digest('hex')}`;
}

/** How many leading bytes a fingerprint was taken over (0 for none). */
export function fingerprintLength(fingerprint: string): number {
  const n = Number(fingerprint.slice(0, fingerprint.indexOf(':')));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * Whether `head` starts with the same bytes the fingerprint was taken over. A head shorter than that
 * cannot match: the file lost bytes it used to start with.
 */
export function headMatches(fingerprint: string, head: Uint8Array): boolean {
  const n = fingerprintLength(fingerprint);
  if (n === 0) return true;
  if (head.length < n) return false;
  return fingerprintOf(head.subarray(0, n)) === fingerprint;
}
