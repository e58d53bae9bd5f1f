import { createHash } from 'node:crypto';
import { createDeathLogParser, emptySummary, mergeSummaries, packSummary, parseDeathLog, summarize, type DeathLogBatch, type StatsSummary } from '../../parsers/index.js';
import type { FileCursor, IngestTarget, IngestWork, IngestWriter } from '../../src/store/index.js';
import { toRecentEvents } from '../../src/store/index.js';

/** A death-log file as the poller would see it: name and full bytes (a finished day). */
export interface LogFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Feeds files to the writer the way the poller does: in name order, from each file's durable cursor
 * (offset, carry, next line), in chunks of `chunkBytes`, a cursor with every chunk. `packed(i)` says
 * which files go in as a history run's workers send them (figures packed, pairs as segments).
 */
export async function feedFiles(writer: IngestWriter, target: IngestTarget, files: readonly LogFile[], chunkBytes: number,
  onChunk?: () => void, packed: (fileIndex: number) => boolean = () => false): Promise<number> {
  const cursors = new Map((await writer.resume(target)).map((c) => [c.file, c]));
  let rows = 0;
  for (const [index, file] of files.entries()) {
    const from = cursors.get(file.name);
    if (from && from.offset >= file.bytes.length && from.carry.length === 0) continue;
    const parser = createDeathLogParser({ file: file.name, carry: from?.carry ?? new Uint8Array(), nextLine: from?.nextLine ?? 1 });
    const head = fingerprint(file.bytes);
    for (let offset = from?.offset ?? 0; offset < file.bytes.length;) {
      const end = Math.min(offset + chunkBytes, file.bytes.length);
      const batch = parser.push(file.bytes.subarray(offset, end));
      const last = end === file.bytes.length ? parser.end() : null;
      const merged = last ? joinBatches(batch, last) : batch;
      offset = end;
      const cursor: FileCursor = { file: file.name, offset, size: file.bytes.length, head, carry: parser.carry(), nextLine: parser.nextLine };
      const work: IngestWork = { summary: summarize(merged), cursors: [cursor], recentEvents: toRecentEvents(file.name, merged.events, 20) };
      await writer.add(target, packed(index) ? packWork(work) : work);
      rows += merged.rows;
      onChunk?.();
    }
  }
  return rows;
}

/** The work as a history worker sends it: players and days packed, totals and times in the summary. */
export function packWork(work: IngestWork): IngestWork {
  const { totals, firstTime, lastTime } = work.summary;
  return { ...work, summary: { totals, firstTime, lastTime, players: new Map(), days: new Map() }, packed: packSummary(work.summary) };
}

function joinBatches(a: DeathLogBatch, b: DeathLogBatch): DeathLogBatch {
  return { events: [...a.events, ...b.events], malformed: [...a.malformed, ...b.malformed], rows: a.rows + b.rows, bytes: a.bytes + b.bytes };
}

/** The first 64 bytes' hash: tells a replaced file from a grown one. */
export function fingerprint(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes.subarray(0, 64)).digest('hex').slice(0, 16);
}

/** What the stats must be: every file parsed whole, in order, folded by the pure parsers. */
export function referenceSummary(files: readonly LogFile[]): StatsSummary {
  let total = emptySummary();
  for (const f of files) total = mergeSummaries(total, summarize(parseDeathLog(f.name, f.bytes, { final: true })));
  return total;
}
