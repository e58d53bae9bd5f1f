/**
 * Worker task `parse-server-log`: reads the appended part of a `Deadside.log` into events. The state
 * machine that turns events into online players and announcements stays on the main thread: it is a
 * few map updates per event, while the line matching is the part that costs.
 */
import { createServerLogParser, mergeServerLogBatch, type ServerLogEvent, type ServerLogCounts, type UnknownLine } from '../../../parsers/index.js';

export interface ParseServerLogInput {
  bytes: Uint8Array;
  carry?: Uint8Array;
  nextLine?: number;
  lastTime?: number | null;
  /** The file will not grow again: read the held-back last line too. */
  final?: boolean;
}

export interface ParseServerLogOutput {
  events: ServerLogEvent[];
  counts: ServerLogCounts;
  unknownSample: UnknownLine[];
  carry: Uint8Array;
  nextLine: number;
  lastTime: number | null;
}

export function parseServerLogTask(input: ParseServerLogInput): ParseServerLogOutput {
  const parser = createServerLogParser({
    ...(input.carry === undefined ? {} : { carry: input.carry }),
    ...(input.nextLine === undefined ? {} : { nextLine: input.nextLine }),
    ...(input.lastTime === undefined ? {} : { lastTime: input.lastTime }),
  });
  const batch = parser.push(input.bytes);
  if (input.final === true) mergeServerLogBatch(batch, parser.end());
  return { events: batch.events, counts: batch.counts, unknownSample: batch.unknownSample, carry: parser.carry(), nextLine: parser.nextLine, lastTime: parser.lastTime };
}
