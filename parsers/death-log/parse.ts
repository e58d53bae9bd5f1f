import { parse as parseCsv } from 'csv-parse/sync';
import { LineSplitter, MAX_LINE_BYTES, type LineSink } from '../shared/line-splitter.js';
import { classifyRow, DeathLogClock } from './row.js';
import type { DeathEvent, MalformedRow } from './types.js';

/** What one push or end yields: complete rows only, in line order. */
export interface DeathLogBatch {
  events: DeathEvent[];
  malformed: MalformedRow[];
  /** Rows seen (well-formed and malformed; blank lines are not rows). */
  rows: number;
  /** Bytes of the rows read (of an over-long row, its first 64 KiB; never the held-back unfinished row). */
  bytes: number;
}

/** An incremental death-log parser for one file: feed it bytes as they are appended. */
export interface DeathLogParser {
  /** Parses every complete row in `chunk` (with the carry in front); an unterminated last row is held back. */
  push(chunk: Uint8Array): DeathLogBatch;
  /** Parses the held-back row as a row: call when the file will never grow again (a finished day). */
  end(): DeathLogBatch;
  /** The bytes of the unfinished row (at most 64 KiB), to persist beside the read offset. */
  carry(): Uint8Array;
  /** 1-based line number of the next row. */
  readonly nextLine: number;
}

export interface DeathLogParserOptions {
  /** The file name, for locating malformed rows. */
  file: string;
  /** Unfinished-row bytes from an earlier read (see {@link DeathLogParser.carry}). */
  carry?: Uint8Array;
  /** Line number of the first row this parser will see; 1 for a file read from its start. */
  nextLine?: number;
  /** The server's clock offset from UTC, in minutes (0: the log is in UTC). */
  utcOffsetMinutes?: number;
}

const BOM = [0xef, 0xbb, 0xbf];
const EXCERPT_CHARS = 120;
const OVER_LONG = `is ${MAX_LINE_BYTES / 1024} KiB or longer with no line end; a death-log row is a few hundred bytes (the rest of it up to its line end was skipped)`;

/**
 * Creates an incremental parser. Feeding a file in any chunking yields the same rows as feeding it
 * whole. A row of 64 KiB or more is one malformed row, and reading goes on after its line end.
 */
export function createDeathLogParser(options: DeathLogParserOptions): DeathLogParser {
  const { file, utcOffsetMinutes = 0 } = options;
  const lines = new LineSplitter(MAX_LINE_BYTES, options.carry);
  const clock = new DeathLogClock(utcOffsetMinutes);
  let nextLine = options.nextLine ?? 1;
  let batch = emptyBatch();

  const readRows: LineSink = (bytes, overLong) => {
    const body = nextLine === 1 && startsWithBom(bytes) ? bytes.subarray(3) : bytes;
    batch.bytes += bytes.length;
    if (overLong) {
      batch.rows += 1;
      batch.malformed.push({ file, line: nextLine, reason: OVER_LONG, excerpt: clipped(new TextDecoder().decode(body.subarray(0, 4 * EXCERPT_CHARS))) });
      nextLine += 1;
    } else {
      nextLine = parseRows(body, { file, firstLine: nextLine, clock }, batch);
    }
  };
  const take = (): DeathLogBatch => {
    const done = batch;
    batch = emptyBatch();
    return done;
  };

  return {
    push: (chunk) => {
      lines.push(chunk, readRows);
      return take();
    },
    end: () => {
      lines.flush(readRows);
      return take();
    },
    carry: () => lines.carry(),
    get nextLine() { return nextLine; },
  };
}

function emptyBatch(): DeathLogBatch {
  return { events: [], malformed: [], rows: 0, bytes: 0 };
}

/** Parses a whole file (or a slice of one). `final` also parses an unterminated last row. */
export function parseDeathLog(file: string, bytes: Uint8Array | string, options: { final?: boolean; utcOffsetMinutes?: number } = {}): DeathLogBatch {
  const parser = createDeathLogParser({ file, utcOffsetMinutes: options.utcOffsetMinutes ?? 0 });
  const batch = parser.push(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  if (!options.final) return batch;
  const tail = parser.end();
  batch.events.push(...tail.events);
  batch.malformed.push(...tail.malformed);
  batch.rows += tail.rows;
  batch.bytes += tail.bytes;
  return batch;
}

interface RowContext { file: string; firstLine: number; clock: DeathLogClock }

/** Parses complete lines into `batch`; returns the line number after the last one. */
function parseRows(bytes: Uint8Array, ctx: RowContext, batch: DeathLogBatch): number {
  const records = parseCsv(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    delimiter: ';',
    // Real files never quote, and a player named `"Bob` must not swallow the rest of the file.
    quote: false,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
  }) as string[][];
  // With quoting off a record is exactly one line (blank lines come back as ['']), so the line
  // number is the index. Reading it from csv-parse's per-record info costs more than the parse.
  for (let i = 0; i < records.length; i += 1) {
    const fields = records[i] as string[];
    if (fields.length === 1 && fields[0] === '') continue; // a blank line is not a row
    const line = ctx.firstLine + i;
    batch.rows += 1;
    if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    const verdict = classifyRow(fields, line, ctx.clock);
    if (verdict.ok) batch.events.push(verdict.event);
    else batch.malformed.push({ file: ctx.file, line, reason: verdict.reason, excerpt: excerpt(fields) });
  }
  return ctx.firstLine + records.length;
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function excerpt(fields: readonly string[]): string {
  return clipped(fields.join(';'));
}

function clipped(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}
