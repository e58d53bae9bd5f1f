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
 * One tick for one file: stat (or the given facts), the head only when something changed, then only
 * the new bytes. An unchanged file costs exactly one stat and no download.
 */
export async function readFileUpdate(source: LogSource, cursor: FileCursor, options: FileUpdateOptions = {}): Promise<FileUpdate> {
  const decide = options.plan ?? planFileRead;
  const facts = options.facts ?? await source.stat(cursor.file);
  let plan = decide(cursor, facts);
  let head: Uint8Array | undefined;
  if (plan.action === 'need-head') {
    head = await source.readHead(cursor.file, plan.bytes);
    plan = decide(cursor, facts, head);
  }
  if (plan.action === 'unchanged' || plan.action === 'need-head') {
    const next = { ...cursor, size: facts.size, mtimeMs: facts.mtimeMs, fingerprint: refreshed(cursor.fingerprint, head) };
    const chunk = options.final === true ? emptyFinal(cursor) : null;
    return { plan, chunk, cursor: next, complete: true };
  }
  const restart = plan.action === 'restart' ? { reason: plan.reason, detail: plan.detail } : null;
  const start = plan.action === 'read' ? plan.start : 0;
  const bytes = await source.read(cursor.file, options.maxBytes === undefined ? { start } : { start, maxBytes: options.maxBytes });
  const offset = start + bytes.length;
  const complete = options.maxBytes === undefined || bytes.length < options.maxBytes || offset >= facts.size;
  const carry = restart ? new Uint8Array(0) : cursor.carry;
  const nextLine = restart ? 1 : cursor.nextLine;
  const fingerprint = start === 0 ? (bytes.length > 0 ? fingerprintOf(bytes) : '') : refreshed(cursor.fingerprint, head);
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
