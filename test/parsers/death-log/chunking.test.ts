import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDeathLogParser, parseDeathLog, type DeathLogBatch } from '../../../parsers/index.js';
import { realDeathLogs } from '../../helpers/fixtures.js';

/** Feeds `bytes` cut at `cuts`, as a live file read in pieces would arrive, then ends the file. */
function feed(name: string, bytes: Uint8Array, cuts: readonly number[]): DeathLogBatch {
  const parser = createDeathLogParser({ file: name });
  const out: DeathLogBatch = { events: [], malformed: [], rows: 0, bytes: 0 };
  const points = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    append(out, parser.push(bytes.slice(from, to)));
    from = to;
  }
  append(out, parser.end());
  return out;
}

function append(into: DeathLogBatch, b: DeathLogBatch): void {
  into.events.push(...b.events);
  into.malformed.push(...b.malformed);
  into.rows += b.rows;
  into.bytes += b.bytes;
}

const UTF8_ROWS = [
  '\uFEFF2025.05.15-10.00.00;Дмитрий Ø;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;小明 🎯;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;AK-mod;42;PS5;XSX;\r\n',
  '2025.05.15-10.00.05;小明 🎯;0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb;Дмитрий Ø;0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa;M99;311;XSX;PS5;\n',
  '\n',
  '2025.05.15-10.01.00;;;Zoë;0002cccccccccccccccccccccccccccc;;0;PS5;PS5;\n',
  '2025.05.15-10.02.00;Zoë;0002cccccccccccccccccccccccccccc;Zoë;0002cccccccccccccccccccccccccccc;falling;0;PS5;PS5;',
].join('');

describe('death log: any chunking gives the same rows as the whole file', () => {
  const files = realDeathLogs();

  it('GIVEN each real file fed one byte at a time (a cut at every offset) THEN the rows equal the whole-file parse', () => {
    for (const file of files) {
      const whole = parseDeathLog(file.name, file.bytes, { final: true });
      const cuts = Array.from({ length: file.bytes.length }, (_, i) => i);
      expect(feed(file.name, file.bytes, cuts)).toEqual(whole);
    }
  });

  it('GIVEN each real file cut in two at every offset of its first 2 KB THEN the rows equal the whole-file parse', () => {
    for (const file of files) {
      const head = file.bytes.subarray(0, 2048);
      const whole = parseDeathLog(file.name, head, { final: true });
      for (let cut = 1; cut < head.length; cut += 1) {
        const split = feed(file.name, head, [cut]);
        if (split.rows !== whole.rows) throw new Error(`${file.name}: a cut at byte ${cut} changed the row count`);
        expect(split).toEqual(whole);
      }
    }
  });

  it('GIVEN random cut points in the real files THEN the rows equal the whole-file parse', () => {
    for (const file of files) {
      const whole = parseDeathLog(file.name, file.bytes, { final: true });
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: file.bytes.length - 1 }), { maxLength: 60 }), (cuts) => {
          expect(feed(file.name, file.bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 40, seed: 20251124 },
      );
    }
  });

  it('GIVEN multi-byte names, a BOM, CRLF and a blank line THEN every cut (even inside a character) gives the same rows', () => {
    const bytes = Buffer.from(UTF8_ROWS, 'utf8');
    const whole = parseDeathLog('utf8.csv', bytes, { final: true });
    expect(whole.events.map((e) => [e.kind, e.killerName, e.victimName])).toEqual([
      ['kill', 'Дмитрий Ø', '小明 🎯'],
      ['kill', '小明 🎯', 'Дмитрий Ø'],
      ['environment', '', 'Zoë'],
      ['suicide', 'Zoë', 'Zoë'],
    ]);
    expect(whole.events.map((e) => e.line)).toEqual([1, 2, 4, 5]);
    for (let cut = 1; cut < bytes.length; cut += 1) expect(feed('utf8.csv', bytes, [cut])).toEqual(whole);
    for (let cut = 1; cut < bytes.length; cut += 1) expect(feed('utf8.csv', bytes, [cut, cut + 1, cut + 3])).toEqual(whole);
  });

  it('GIVEN a parser resumed from a stored carry and line number THEN it continues exactly where the last one stopped', () => {
    const file = files[0];
    if (!file) throw new Error('no fixture');
    const whole = parseDeathLog(file.name, file.bytes, { final: true });
    const cut = Math.floor(file.bytes.length / 2) + 17; // mid-row
    const first = createDeathLogParser({ file: file.name });
    const a = first.push(file.bytes.subarray(0, cut));
    const second = createDeathLogParser({ file: file.name, carry: first.carry(), nextLine: first.nextLine });
    const b = second.push(file.bytes.subarray(cut));
    const c = second.end();
    expect([...a.events, ...b.events, ...c.events]).toEqual(whole.events);
    expect(a.bytes + b.bytes + c.bytes).toBe(file.bytes.length);
  });
});
