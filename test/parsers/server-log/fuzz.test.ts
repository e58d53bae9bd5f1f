import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyServerEvents, createServerLogParser, createServerState, parseServerLog,
} from '../../../parsers/server-log/index.js';
import { readServerLogFixture } from './fixture.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const MB = 1024 * 1024;

describe('hostile input never throws', () => {
  it('GIVEN random bytes THEN parsing and applying them returns counts instead of throwing', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const result = parseServerLog(bytes, { final: true });
      expect(result.counts.lines).toBe(result.counts.events + result.counts.unknown + result.counts.blank + result.counts.oversized);
      applyServerEvents(createServerState(), result.events);
    }), { numRuns: 300 });
  });

  it('GIVEN fixture lines truncated at random lengths THEN nothing throws and every line is accounted for', () => {
    const lines = new TextDecoder().decode(readServerLogFixture()).split('\n');
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...lines), fc.nat()), { maxLength: 40 }), (picks) => {
      const text = picks.map(([line, n]) => `${line.slice(0, n % (line.length + 1))}\n`).join('');
      const result = parseServerLog(text);
      expect(result.counts.lines).toBe(picks.length);
      applyServerEvents(createServerState(), result.events);
    }), { numRuns: 300 });
  });

  it('GIVEN a 1 MB line THEN it is counted as oversized and the next line still reads', () => {
    const huge = `LogNet: Join request: ?eosid=|0002e69a65204b669c20238266782d7b?Name=${'x'.repeat(MB)}`;
    const result = parseServerLog(`${huge}\nLogSFPS: AirDrop switched to Flying\n`);
    expect(result.counts).toMatchObject({ lines: 2, oversized: 1, events: 1 });
    expect(result.events[0]).toMatchObject({ kind: 'airdrop', line: 2 });
  });

  it('GIVEN a 1 MB line arriving in 4 KiB chunks without a newline THEN the carry stays bounded', () => {
    const parser = createServerLogParser();
    const chunk = utf8('y'.repeat(4096));
    for (let sent = 0; sent < MB; sent += chunk.length) parser.push(chunk);
    expect(parser.carry().length).toBe(64 * 1024 + 1);
    const batch = parser.push(utf8('\nLogSFPS: AirDrop switched to Dead\n'));
    expect(batch.counts).toMatchObject({ lines: 2, oversized: 1, events: 1 });
  });

  it('GIVEN a raised line limit and a 1 MB name sent in 4 KiB chunks THEN the whole name arrives', () => {
    const parser = createServerLogParser({ maxLineBytes: 2 * MB });
    const text = utf8(`LogNet: Join request: ?eosid=|0002e69a65204b669c20238266782d7b?Name=${'z'.repeat(MB)}\n`);
    const events = [];
    for (let at = 0; at < text.length; at += 4096) events.push(...parser.push(text.subarray(at, at + 4096)).events);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'join-request' });
    expect(events[0]!.kind === 'join-request' && events[0]!.name?.length).toBe(MB);
  });

  it('GIVEN lines of only brackets, pipes and option separators THEN they count as unknown', () => {
    const result = parseServerLog('[\n[]\n[ 1]\n[2025.13.40-99.99.99:000][  1]\nLogNet: Join request: ???&&&===\n|||\n');
    expect(result.counts).toMatchObject({ lines: 6, unknown: 6, events: 0 });
  });
});
