import { LineSplitter, type LineSink } from '../shared/line-splitter.js';
import { readServerLogLine } from './read-line.js';
import type { ServerLogBatch, ServerLogCounts, UnknownLine } from './types.js';

/** Unknown lines kept per batch for diagnostics; the rest are only counted. */
const UNKNOWN_SAMPLE_SIZE = 10;
const EXCERPT_CHARS = 160;
const NEWLINE = 0x0a;

/** Where to resume: what a previous parser's `carry()`, `nextLine` and `lastTime` said. */
export interface ServerLogParserOptions {
  /** Bytes of an unterminated last line from the previous read (see `carry()`). */
  carry?: Uint8Array;
  /** Line number of the first line that will complete (1 for a new file). */
  nextLine?: number;
  /** Time of the last stamped line read before, lent to unstamped lines at the start. */
  lastTime?: number | null;
}

/** An incremental Deadside.log reader: feed it only the bytes appended since the last read. */
export interface ServerLogParser {
  /** Reads every line `chunk` completes. An unterminated last line is held back, not read. */
  push(chunk: Uint8Array): ServerLogBatch;
  /** Reads the held unterminated line as a final line (the file is known to be complete). */
  end(): ServerLogBatch;
  /** The held bytes, to persist next to the byte offset and pass back as `carry` later. */
  carry(): Uint8Array;
  /** Line number the next completed line will get. */
  readonly nextLine: number;
  /** Time of the latest stamped line read so far. */
  readonly lastTime: number | null;
}

function emptyCounts(): ServerLogCounts {
  return { lines: 0, events: 0, unknown: 0, blank: 0, oversized: 0 };
}

function checkOptions(options: ServerLogParserOptions): void {
  const { nextLine = 1 } = options;
  if (!Number.isSafeInteger(nextLine) || nextLine < 1) {
    throw new RangeError(`nextLine must be a whole number from 1 up (got ${String(nextLine)}); pass 1 for a new file.`);
  }
}

/** Creates an incremental Deadside.log parser, optionally resuming where another stopped. */
export function createServerLogParser(options: ServerLogParserOptions = {}): ServerLogParser {
  checkOptions(options);
  // The carry is bytes that were read but not yet a line: holding it again is exactly resuming.
  const splitter = new LineSplitter(undefined, options.carry);
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let nextLine = options.nextLine ?? 1;
  let lastTime = options.lastTime ?? null;
  let batch: ServerLogBatch = { events: [], counts: emptyCounts(), unknownSample: [] };

  const readLines: LineSink = (bytes, overLong) => {
    if (overLong) {
      nextLine += 1;
      batch.counts.lines += 1;
      batch.counts.oversized += 1;
      return;
    }
    for (let start = 0; start < bytes.length;) {
      const nl = bytes.indexOf(NEWLINE, start);
      const end = nl < 0 ? bytes.length : nl;
      readLine(bytes.subarray(start, end));
      start = end + 1;
    }
  };

  function readLine(bytes: Uint8Array): void {
    const line = nextLine++;
    const { counts } = batch;
    counts.lines += 1;
    const text = decoder.decode(bytes);
    const reading = readServerLogLine(text, line, lastTime);
    lastTime = reading.lastTime;
    if (reading.event !== null) {
      counts.events += 1;
      batch.events.push(reading.event);
    } else if (reading.blank) {
      counts.blank += 1;
    } else {
      counts.unknown += 1;
      if (batch.unknownSample.length < UNKNOWN_SAMPLE_SIZE) batch.unknownSample.push(excerpt(text, line));
    }
  }

  function takeBatch(): ServerLogBatch {
    const done = batch;
    batch = { events: [], counts: emptyCounts(), unknownSample: [] };
    return done;
  }

  return {
    push(chunk) {
      splitter.push(chunk, readLines);
      return takeBatch();
    },
    end() {
      splitter.flush(readLines);
      return takeBatch();
    },
    carry: () => splitter.carry(),
    get nextLine() {
      return nextLine;
    },
    get lastTime() {
      return lastTime;
    },
  };
}

function excerpt(text: string, line: number): UnknownLine {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return { line, excerpt: clean.slice(0, EXCERPT_CHARS).trimEnd() };
}

/** One-shot parse result: the batch plus what a later incremental read would resume from. */
export interface ServerLogParseResult extends ServerLogBatch {
  carry: Uint8Array;
  nextLine: number;
  lastTime: number | null;
}

/**
 * Parses a whole log (or a piece of one). With `final: true` an unterminated last line is read
 * too; otherwise it is returned as `carry`, as the incremental parser would hold it.
 */
export function parseServerLog(
  input: Uint8Array | string, options: { final?: boolean } = {},
): ServerLogParseResult {
  const parser = createServerLogParser();
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const batch = parser.push(bytes);
  if (options.final === true) mergeInto(batch, parser.end());
  return { ...batch, carry: parser.carry(), nextLine: parser.nextLine, lastTime: parser.lastTime };
}

/** Appends `later` to `into` (events, counts and the capped unknown sample). */
export function mergeInto(into: ServerLogBatch, later: ServerLogBatch): void {
  // A loop, not push(...spread): a history run can hold more events than the call stack allows.
  for (const event of later.events) into.events.push(event);
  for (const key of Object.keys(into.counts) as (keyof ServerLogCounts)[]) into.counts[key] += later.counts[key];
  for (const sample of later.unknownSample) {
    if (into.unknownSample.length < UNKNOWN_SAMPLE_SIZE) into.unknownSample.push(sample);
  }
}
