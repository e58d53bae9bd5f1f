import { fingerprintLength, fingerprintOf, type FileCursor } from './cursor.js';
import { planFileRead, type FileFacts, type FilePlan, type RestartReason } from './read-plan.js';
import type { LogSource } from './types.js';

/**
 * Bytes to feed a parser, with the parser state to resume from. Build the parser from `carry` and
 * `nextLine`, push `bytes`, and call `end()` when `final` is set.
 */
export interface LogChunk {
  file: string;
  /** Offset of `bytes[0]` in the file. */
  start: number;
  /** A copy with its own buffer: safe to transfer to a worker thread. */
  bytes: Uint8Array;
  /** The unfinished row to prepend (empty for a new or restarted file). */
  carry: Uint8Array;
  nextLine: number;
  /** The file will never grow again: flush the held-back row. */
  final: boolean;
  /** Set when the file is read again from 0; for `Deadside.log` this means: reset the online state. */
  restart: { reason: RestartReason; detail: string } | null;
}

export interface FileUpdate {
  plan: FilePlan;
  /** Null when there was nothing to read (and nothing to finish). */
  chunk: LogChunk | null;
  /** The next cursor; after parsing, replace its `carry` and `nextLine` with the parser's. */
  cursor: FileCursor;
  /** The read reached the end of the file (false when `maxBytes` cut it short). */
  complete: boolean;
}

export interface FileUpdateOptions {
  maxBytes?: number;
  /** Mark the chunk final once the end is reached, even with nothing new (a drained death log). */
  final?: boolean;
  /** Size and mtime already known from a listing made this tick: saves the stat. */
  facts?: FileFacts;
  /** The decision rule; `planServerLogRead` for `Deadside.log`. */
  plan?: (cursor: FileCursor, now: FileFacts, head?: Uint8Array) => FilePlan;
}

/**
 * Where reading a file goes on: the one rule ticks and history runs share, so that whatever read a
 * file before, the next reader takes up exactly where it stopped.
 */
export interface ResumePoint {
  plan: FilePlan;
  /** Offset to read from, with the unfinished row and line number that go with it (0, none and 1 on a restart). */
  start: number;
  carry: Uint8Array;
  nextLine: number;
  restart: { reason: RestartReason; detail: string } | null;
  /** The cursor's fingerprint, widened when a longer head was read to check it. */
  fingerprint: string;
  /** There are bytes past `start` to read. Without, only a held row may be left (to finish if the file is final). */
  unread: boolean;
}

/** Decides where to go on reading a file from its cursor and size: the head is read only when something changed. */
export async function findResumePoint(
  source: LogSource, cursor: FileCursor, facts: FileFacts, decide: FileUpdateOptions['plan'] = planFileRead,
): Promise<ResumePoint> {
  let plan = decide(cursor, facts);
  let head: Uint8Array | undefined;
  if (plan.action === 'need-head') {
    head = await source.readHead(cursor.file, plan.bytes);
    plan = decide(cursor, facts, head);
  }
  const fingerprint = refreshed(cursor.fingerprint, head);
  if (plan.action === 'restart') {
    return { plan, start: 0, carry: new Uint8Array(0), nextLine: 1, restart: { reason: plan.reason, detail: plan.detail }, fingerprint, unread: true };
  }
  return { plan, start: cursor.offset, carry: cursor.carry, nextLine: cursor.nextLine, restart: null, fingerprint, unread: plan.action === 'read' };
}

/**
 * One tick for one file: stat (or the given facts), the head only when something changed, then only
 * the new bytes. An unchanged file costs exactly one stat and no download.
 */
export async function readFileUpdate(source: LogSource, cursor: FileCursor, options: FileUpdateOptions = {}): Promise<FileUpdate> {
  const facts = options.facts ?? await source.stat(cursor.file);
  const point = await findResumePoint(source, cursor, facts, options.plan);
  const { plan, start, carry, nextLine, restart } = point;
  if (!point.unread) {
    const next = { ...cursor, size: facts.size, mtimeMs: facts.mtimeMs, fingerprint: point.fingerprint };
    const chunk = options.final === true ? emptyFinal(cursor) : null;
    return { plan, chunk, cursor: next, complete: true };
  }
  const bytes = await source.read(cursor.file, options.maxBytes === undefined ? { start } : { start, maxBytes: options.maxBytes });
  const offset = start + bytes.length;
  const complete = options.maxBytes === undefined || bytes.length < options.maxBytes || offset >= facts.size;
  const fingerprint = start === 0 ? (bytes.length > 0 ? fingerprintOf(bytes) : '') : point.fingerprint;
  return {
    plan,
    chunk: { file: cursor.file, start, bytes, carry, nextLine, final: options.final === true && complete, restart },
    cursor: { file: cursor.file, offset, size: Math.max(facts.size, offset), mtimeMs: facts.mtimeMs, fingerprint, carry, nextLine },
    complete,
  };
}

/** A fingerprint taken over fewer bytes than the head now offers is widened to the full head. */
function refreshed(fingerprint: string, head: Uint8Array | undefined): string {
  if (head === undefined || head.length <= fingerprintLength(fingerprint)) return fingerprint;
  return fingerprintOf(head);
}

function emptyFinal(cursor: FileCursor): LogChunk {
  return { file: cursor.file, start: cursor.offset, bytes: new Uint8Array(0), carry: cursor.carry, nextLine: cursor.nextLine, final: true, restart: null };
}
