import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createServerLogParser, type ServerLogCounts, type ServerLogEvent, type ServerLogParser,
} from '../../../parsers/server-log/index.js';
import { readServerLogFixture } from './fixture.js';

interface Outcome {
  events: ServerLogEvent[];
  counts: ServerLogCounts;
  carry: number[];
  nextLine: number;
}

function collect(parser: ServerLogParser, chunks: Uint8Array[], final: boolean): Outcome {
  const out: Outcome = { events: [], counts: { lines: 0, events: 0, unknown: 0, blank: 0, oversized: 0 }, carry: [], nextLine: 0 };
  const add = (batch: { events: ServerLogEvent[]; counts: ServerLogCounts }): void => {
    out.events.push(...batch.events);
    for (const key of Object.keys(out.counts) as (keyof ServerLogCounts)[]) out.counts[key] += batch.counts[key];
  };
  for (const chunk of chunks) add(parser.push(chunk));
  if (final) add(parser.end());
  return { ...out, carry: [...parser.carry()], nextLine: parser.nextLine };
}

/** Cuts `bytes` at the given offsets (any order, duplicates allowed). */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  return chunks;
}

const whole = (bytes: Uint8Array, final = false): Outcome => collect(createServerLogParser(), [bytes], final);

/** Feeds each chunk to a fresh parser resumed from the previous one's carry, as after a bot restart. */
function resumedAcrossParsers(chunks: Uint8Array[]): Outcome {
  const events: ServerLogEvent[] = [];
  let parser = createServerLogParser();
  for (const chunk of chunks) {
    events.push(...parser.push(chunk).events);
    parser = createServerLogParser({ carry: parser.carry(), nextLine: parser.nextLine, lastTime: parser.lastTime });
  }
  return { events, counts: whole(new Uint8Array()).counts, carry: [...parser.carry()], nextLine: parser.nextLine };
}

const fixture = readServerLogFixture();
const fixtureLines = new TextDecoder().decode(fixture).split('\n').filter((l) => l !== '');
// A player name in several scripts, so cuts land inside 2-, 3- and 4-byte characters.
const multiByteLine = '[2025.05.17-02.03.10:514][412]LogNet: Join request: /Game/Maps/world_0/World_0?eosid=|0002e69a65204b669c20238266782d7b?Name=Žofka_Иван_玩家_🦊?platformid=PS5:1';

const logText = fc.record({
  bom: fc.boolean(),
  lines: fc.array(fc.oneof(
    fc.constantFrom(...fixtureLines, multiByteLine),
    fc.string({ unit: 'binary', maxLength: 40 }),
  ), { maxLength: 30 }),
  crlf: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  trailingNewline: fc.boolean(),
}).map(({ bom, lines, crlf, trailingNewline }) => {
  const body = lines.map((line, i) => line + (crlf[i] === true ? '\r\n' : '\n')).join('');
  const text = (bom ? '\uFEFF' : '') + (trailingNewline ? body : body.replace(/\r?\n$/, ''));
  return new TextEncoder().encode(text);
});

describe('chunking never changes what is read', () => {
  it('GIVEN any log text cut at random points THEN pushing the pieces reads exactly what pushing it whole reads', () => {
    fc.assert(fc.property(logText, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (bytes, offsets, final) => {
      expect(collect(createServerLogParser(), cut(bytes, offsets), final)).toEqual(whole(bytes, final));
    }), { numRuns: 300 });
  });

  it('GIVEN random bytes cut at random points THEN pieces and whole agree too', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 12 }), (bytes, offsets) => {
      expect(collect(createServerLogParser(), cut(bytes, offsets), true)).toEqual(whole(bytes, true));
    }), { numRuns: 300 });
  });

  it('GIVEN a log cut at random points and each piece read by a new parser resumed from the carry THEN the events match', () => {
    fc.assert(fc.property(logText, fc.array(fc.nat(), { maxLength: 8 }), (bytes, offsets) => {
      const resumed = resumedAcrossParsers(cut(bytes, offsets));
      const once = whole(bytes);
      expect(resumed.events).toEqual(once.events);
      expect(resumed.carry).toEqual(once.carry);
      expect(resumed.nextLine).toBe(once.nextLine);
    }), { numRuns: 200 });
  });

  it('GIVEN the fixture cut at every single byte THEN each split reads the same as the whole file', () => {
    const expected = whole(fixture);
    for (let at = 0; at <= fixture.length; at += 1) {
      const pieces = [fixture.subarray(0, at), fixture.subarray(at)];
      expect(collect(createServerLogParser(), pieces, false), `cut at byte ${at}`).toEqual(expected);
      expect(resumedAcrossParsers(pieces).events, `resumed at byte ${at}`).toEqual(expected.events);
    }
  });

  it('GIVEN the fixture fed one byte at a time THEN it reads the same as the whole file', () => {
    const bytes = Array.from(fixture, (b) => Uint8Array.of(b));
    expect(collect(createServerLogParser(), bytes, false)).toEqual(whole(fixture));
  });

  it('GIVEN a multi-byte player name cut at every byte THEN the name survives intact', () => {
    const bytes = new TextEncoder().encode(`${multiByteLine}\n`);
    for (let at = 0; at <= bytes.length; at += 1) {
      const { events } = collect(createServerLogParser(), [bytes.subarray(0, at), bytes.subarray(at)], false);
      expect(events, `cut at byte ${at}`).toMatchObject([{ kind: 'join-request', name: 'Žofka_Иван_玩家_🦊' }]);
    }
  });
});
