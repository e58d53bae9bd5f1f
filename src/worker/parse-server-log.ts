/**
 * Worker task `parse-server-log`: reads the appended part of a `Deadside.log` and runs the state
 * machine over it, here in the worker, so that only the new state and the announcements cross to the
 * main thread, never the thousands of events a first read of a long log holds.
 */
import {
  applyServerEvents, createServerLogParser, mergeServerLogBatch,
  type ServerAnnouncement, type ServerLogCounts, type ServerState, type ServerStateCounts, type ServerStateOptions, type UnknownLine,
} from '../../parsers/index.js';

export interface ParseServerLogInput {
  bytes: Uint8Array;
  carry?: Uint8Array;
  nextLine?: number;
  lastTime?: number | null;
  /** The file will not grow again: read the held-back last line too. */
  final?: boolean;
  /** Who is online and queued before these lines (already reset when the log restarted). */
  state: ServerState;
  /** The operators' mission level table (MISSION_LEVELS); absent: the default. */
  options?: ServerStateOptions;
}

export interface ParseServerLogOutput {
  state: ServerState;
  announcements: ServerAnnouncement[];
  /** Line counts (events, unknown, blank, oversized) and state counts (left the queue, noise, ...). */
  lines: ServerLogCounts;
  transitions: ServerStateCounts;
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
  // The connections feed posts queueing for a full server and leaving the queue.
  const applied = applyServerEvents(input.state, batch.events, { announceQueue: true, ...input.options });
  return {
    state: applied.state, announcements: applied.announcements, lines: batch.counts, transitions: applied.counts,
    unknownSample: batch.unknownSample, carry: parser.carry(), nextLine: parser.nextLine, lastTime: parser.lastTime,
  };
}
