/**
 * Worker task `parse-death-log`: parses a slice of one death-log file and returns its statistics,
 * not its rows, so a 100 MB history crosses the thread boundary as a few kilobytes of summary.
 */
import { addEvents, addMalformed, createDeathLogParser, emptySummary, packSummary } from '../../parsers/index.js';
import type { DeathEvent, DeathLogBatch, MalformedRow, PackedSummary, StatsSummary } from '../../parsers/index.js';

export interface ParseDeathLogInput {
  /** File name, e.g. `2025.05.15-00.00.00.csv` (locates malformed rows). */
  file: string;
  /** The bytes to parse (transfer its buffer rather than copy it). */
  bytes: Uint8Array;
  /** Unfinished-row bytes left over from the previous slice of the same file. */
  carry?: Uint8Array;
  /** 1-based line number of the first row in `carry` + `bytes`; defaults to 1. */
  nextLine?: number;
  /** True when the file will never grow again: the held-back last row is parsed too. */
  final: boolean;
  /** The server's clock offset from UTC, in minutes. */
  utcOffsetMinutes?: number;
  /** Also return the events (live feed); at most `maxEvents` of them. */
  includeEvents?: boolean;
  maxEvents?: number;
  /**
   * Return the players' and days' figures as `packed` (typed arrays and strings, killer-victim pairs
   * as [player row, count] entries): history runs set it, so the main thread neither rebuilds a Map
   * per player nor an object per pair.
   */
  pack?: boolean;
  /** The server's season starts (UTC ms): a day a season starts in is split there (parsers/stats/reduce.ts). */
  seasonStarts?: readonly number[];
}

export interface ParseDeathLogOutput {
  /** With `pack`, totals and times only: the players and days are in `packed`. */
  summary: StatsSummary;
  /** Present only when `pack` was set. */
  packed?: PackedSummary;
  /** The first 100 malformed rows (see `malformedCount` for all of them). */
  malformed: MalformedRow[];
  malformedCount: number;
  /** Rows parsed (well-formed and malformed). */
  rows: number;
  /** Bytes of the unfinished last row (empty when `final`). */
  carry: Uint8Array;
  /** Line number of the next row to come. */
  nextLine: number;
  /** Present only when `includeEvents` was set. */
  events?: DeathEvent[];
  /** How many of the oldest events were left out by `maxEvents`. */
  eventsOmitted?: number;
}

const MAX_MALFORMED = 100;
const DEFAULT_MAX_EVENTS = 10_000;
const PIECE_BYTES = 256 * 1024;

/** Parses `input.bytes` (after `input.carry`) and reduces it to a summary. */
export function parseDeathLogTask(input: ParseDeathLogInput): ParseDeathLogOutput {
  const parser = createDeathLogParser({
    file: input.file,
    ...(input.carry === undefined ? {} : { carry: input.carry }),
    ...(input.nextLine === undefined ? {} : { nextLine: input.nextLine }),
    ...(input.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: input.utcOffsetMinutes }),
  });
  const out = new Collector(input);
  const bytes = input.bytes;
  // In pieces, each folded before the next is parsed: a piece's records and events die young,
  // where a whole slice's (hundreds of thousands of small objects) lived long enough to be
  // promoted and collected by full GCs (seen as a large share of a worker's time in profiles).
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) out.add(parser.push(bytes.subarray(at, Math.min(bytes.length, at + PIECE_BYTES))));
  if (input.final) out.add(parser.end());
  const output = out.finish(parser.carry(), parser.nextLine);
  if (input.pack !== true) return output;
  const { totals, firstTime, lastTime } = output.summary;
  return { ...output, summary: { totals, firstTime, lastTime, players: new Map(), days: new Map() }, packed: packSummary(output.summary) };
}

/** Folds batches as they come so no full row list is ever held. */
class Collector {
  readonly summary = emptySummary();
  readonly malformed: MalformedRow[] = [];
  malformedCount = 0;
  rows = 0;
  readonly events: DeathEvent[] | undefined;
  eventsOmitted = 0;
  private readonly maxEvents: number;
  private readonly seasonStarts: readonly number[];

  constructor(input: ParseDeathLogInput) {
    this.seasonStarts = input.seasonStarts ?? [];
    this.maxEvents = input.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.events = input.includeEvents === true ? [] : undefined;
  }

  add(batch: DeathLogBatch): void {
    addEvents(this.summary, batch.events, this.seasonStarts);
    addMalformed(this.summary, batch.malformed.length);
    this.rows += batch.rows;
    this.malformedCount += batch.malformed.length;
    for (const row of batch.malformed) if (this.malformed.length < MAX_MALFORMED) this.malformed.push(row);
    if (this.events === undefined) return;
    // Keep the newest events: after downtime the feed shows the latest kills, not the oldest.
    for (const event of batch.events) this.events.push(event);
    const over = this.events.length - this.maxEvents;
    if (over > 0) {
      this.events.splice(0, over);
      this.eventsOmitted += over;
    }
  }

  finish(carry: Uint8Array, nextLine: number): ParseDeathLogOutput {
    const output: ParseDeathLogOutput = {
      summary: this.summary, malformed: this.malformed, malformedCount: this.malformedCount,
      rows: this.rows, carry, nextLine,
    };
    if (this.events !== undefined) {
      output.events = this.events;
      output.eventsOmitted = this.eventsOmitted;
    }
    return output;
  }
}
