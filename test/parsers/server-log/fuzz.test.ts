import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyServerEvents, createServerLogParser, createServerState, parseServerLog,
} from '../../../parsers/server-log/index.js';
import { readServerLogFixture } from './fixture.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const MB = 1024 * 1024;

/** Lines in `bytes` counted independently of the parser: newlines, plus an unterminated last line. */
function lineCount(bytes: Uint8Array): number {
  const newlines = bytes.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
  return newlines + (bytes.length > 0 && bytes.at(-1) !== 0x0a ? 1 : 0);
}

/** The log fed in pieces, each piece's events applied to the state as a live tick would. */
function stateFedInPieces(bytes: Uint8Array, size: number) {
  const parser = createServerLogParser();
  let state = createServerState();
  let lines = 0;
  for (let at = 0; at < bytes.length; at += size) {
    const batch = parser.push(bytes.subarray(at, at + size));
    lines += batch.counts.lines;
    state = applyServerEvents(state, batch.events).state;
  }
  const tail = parser.end();
  return { state: applyServerEvents(state, tail.events).state, lines: lines + tail.counts.lines };
}

describe('hostile input', () => {
  it('GIVEN random bytes fed in random pieces THEN every line is counted and the state equals that of the whole input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (bytes, size) => {
      const whole = parseServerLog(bytes, { final: true });
      expect(whole.counts.lines).toBe(lineCount(bytes));
      const pieces = stateFedInPieces(bytes, size);
      expect(pieces.lines).toBe(whole.counts.lines);
      expect(pieces.state).toEqual(applyServerEvents(createServerState(), whole.events).state);
    }), { numRuns: 300 });
  });

  it('GIVEN fixture lines truncated at random lengths THEN every line is counted and the state equals that of the whole input', () => {
    const lines = new TextDecoder().decode(readServerLogFixture()).split('\n');
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...lines), fc.nat()), { maxLength: 40 }), fc.integer({ min: 1, max: 500 }), (picks, size) => {
      const bytes = utf8(picks.map(([line, n]) => `${line.slice(0, n % (line.length + 1))}\n`).join(''));
      const whole = parseServerLog(bytes);
      expect(whole.counts.lines).toBe(picks.length);
      expect(stateFedInPieces(bytes, size).state).toEqual(applyServerEvents(createServerState(), whole.events).state);
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
    expect(parser.carry().length).toBe(64 * 1024);
    const batch = parser.push(utf8('\nLogSFPS: AirDrop switched to Dead\n'));
    expect(batch.counts).toMatchObject({ lines: 2, oversized: 1, events: 1 });
  });

  it('GIVEN lines of only brackets, pipes and option separators THEN they count as unknown', () => {
    const result = parseServerLog('[\n[]\n[ 1]\n[2025.13.40-99.99.99:000][  1]\nLogNet: Join request: ???&&&===\n|||\n');
    expect(result.counts).toMatchObject({ lines: 6, unknown: 6, events: 0 });
  });
});
