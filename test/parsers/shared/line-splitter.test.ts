import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDeathLogParser, parseDeathLog, type DeathLogBatch } from '../../../parsers/index.js';
import { LineSplitter, MAX_LINE_BYTES } from '../../../parsers/shared/line-splitter.js';

const MAX = 8;
type Line = { text: string; overLong: boolean };

/** What the splitter must hand over, worked out from whole text: each line, or the first MAX bytes of a longer one. */
function expected(text: string, final: boolean): Line[] {
  const parts = text.split('\n');
  const last = parts.pop() as string;
  const lines = parts.map((p) => ({ text: p, overLong: p.length >= MAX }));
  if (final && last !== '') lines.push({ text: last, overLong: last.length >= MAX });
  return lines.map((l) => (l.overLong ? { text: l.text.slice(0, MAX), overLong: true } : l));
}

/** Feeds `text` in pieces, each through a new splitter resumed from the last one's carry (as ticks do). */
function fed(text: string, cuts: number[], final: boolean): { lines: Line[]; carries: number[] } {
  const bytes = Buffer.from(text, 'latin1');
  const lines: Line[] = [];
  const carries: number[] = [];
  const sink = (b: Uint8Array, overLong: boolean): void => {
    const run = Buffer.from(b).toString('latin1');
    if (overLong) lines.push({ text: run, overLong });
    else for (const l of run.replace(/\n$/, '').split('\n')) lines.push({ text: l, overLong });
  };
  let carry: Uint8Array = new Uint8Array(0);
  let from = 0;
  for (const to of [...[...new Set(cuts)].sort((a, b) => a - b).filter((c) => c < bytes.length), bytes.length]) {
    const splitter = new LineSplitter(MAX, carry);
    splitter.push(bytes.subarray(from, to), sink);
    if (final && to === bytes.length) splitter.flush(sink);
    carry = splitter.carry();
    carries.push(carry.length);
    from = to;
  }
  return { lines, carries };
}

const text = fc.array(fc.oneof(fc.constantFrom('', 'a', 'bb;', 'ccccccc'), fc.string({ unit: fc.constantFrom('x', ';', 'é'), minLength: 5, maxLength: 40 })), { maxLength: 20 })
  .chain((lines) => fc.boolean().map((endsWithNewline) => lines.join('\n') + (endsWithNewline ? '\n' : '')));

describe('one line splitter for both logs', () => {
  it('GIVEN lines short and over-long cut at any points, each piece read by a resumed splitter THEN the lines equal those of the whole text and the carry never exceeds the cap', () => {
    fc.assert(fc.property(text, fc.array(fc.nat({ max: 200 }), { maxLength: 10 }), fc.boolean(), (t, cuts, final) => {
      const out = fed(t, cuts, final);
      expect(out.lines).toEqual(expected(t, final));
      for (const c of out.carries) expect(c).toBeLessThanOrEqual(MAX);
    }), { numRuns: 500 });
  });

  it('GIVEN a death-log row of 20 MB with no line end, arriving in 1 MiB reads THEN the carry stays within 64 KiB, and once its line end comes it is one malformed row, located, and the rows after it count', () => {
    const good = '2025.05.15-10.00.00;Alice;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;Bob;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;AK-mod;25;PS5;XSX;\n';
    const huge = Buffer.alloc(20 * 1024 * 1024, 'x');
    let parser = createDeathLogParser({ file: 'a.csv' });
    const seen: DeathLogBatch[] = [parser.push(Buffer.from(good + good))];
    for (let at = 0; at < huge.length; at += 1024 * 1024) {
      seen.push(parser.push(huge.subarray(at, at + 1024 * 1024)));
      expect(parser.carry().length).toBeLessThanOrEqual(MAX_LINE_BYTES);
      parser = createDeathLogParser({ file: 'a.csv', carry: parser.carry(), nextLine: parser.nextLine });
    }
    seen.push(parser.push(Buffer.from(`xx\n${good}${good}`)));
    expect(seen.reduce((n, b) => n + b.rows, 0)).toBe(5);
    expect(seen.flatMap((b) => b.events).map((e) => e.line)).toEqual([1, 2, 4, 5]);
    expect(seen.flatMap((b) => b.malformed)).toMatchObject([{ file: 'a.csv', line: 3, reason: expect.stringContaining('64 KiB') }]);
    expect(parser.carry().length).toBe(0);
    const whole = parseDeathLog('a.csv', Buffer.concat([Buffer.from(good + good), huge, Buffer.from(`xx\n${good}${good}`)]));
    expect(whole.malformed).toEqual(seen.flatMap((b) => b.malformed));
  });
});
