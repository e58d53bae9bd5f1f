import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeathLog, parseDeathLogTime } from '../../../parsers/index.js';

const K = '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const V = '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const good = ['2025.05.15-10.00.00', 'Killer', K, 'Victim', V, 'AK-mod', '42', 'PS5', 'XSX'];
const row = (fields: readonly string[]): string => `${fields.join(';')};\n`;

/** Every way a row can break a counting rule, each with the words an admin should see. */
const mutations: readonly [string, (f: string[]) => string[], RegExp][] = [
  ['too few fields', (f) => f.slice(0, 6), /6 fields/],
  ['eight fields', (f) => f.slice(0, 8), /8 fields/],
  ['too many fields', (f) => [...f, 'extra'], /10 fields/],
  ['one field', () => ['garbage'], /1 fields/],
  ['impossible date', (f) => ['2025.02.30-10.00.00', ...f.slice(1)], /not a real date/],
  ['hour 24', (f) => ['2025.05.15-24.00.00', ...f.slice(1)], /not a real date/],
  ['ISO timestamp', (f) => ['2025-05-15T10:00:00', ...f.slice(1)], /YYYY\.MM\.DD-HH\.MM\.SS/],
  ['empty timestamp', (f) => ['', ...f.slice(1)], /timestamp/],
  ['decimal distance', (f) => [...f.slice(0, 6), '12.5', ...f.slice(7)], /distance "12\.5"/],
  ['negative distance', (f) => [...f.slice(0, 6), '-3', ...f.slice(7)], /distance/],
  ['empty distance', (f) => [...f.slice(0, 6), '', ...f.slice(7)], /distance/],
  ['text distance', (f) => [...f.slice(0, 6), 'far', ...f.slice(7)], /distance/],
  ['empty victim id', (f) => [...f.slice(0, 4), '', ...f.slice(5)], /victim ID is empty/],
];

describe('death log: malformed rows are counted, located and explained, never thrown', () => {
  for (const [what, mutate, reason] of mutations) {
    it(`GIVEN a row with ${what} THEN it is malformed and changes nothing else`, () => {
      const text = row(good) + row(mutate([...good])) + row(good);
      const batch = parseDeathLog('2025.05.15-00.00.00.csv', text);
      expect(batch.rows).toBe(3);
      expect(batch.events.map((e) => e.line)).toEqual([1, 3]);
      expect(batch.malformed).toHaveLength(1);
      expect(batch.malformed[0]).toMatchObject({ file: '2025.05.15-00.00.00.csv', line: 2 });
      expect(batch.malformed[0]?.reason).toMatch(reason);
    });
  }

  it('GIVEN the 7-field format and a row without the trailing separator THEN both are read', () => {
    const text = `${good.slice(0, 7).join(';')};\n${good.join(';')}\n`;
    const batch = parseDeathLog('x.csv', text);
    expect(batch.malformed).toEqual([]);
    expect(batch.events.map((e) => e.killerPlatform)).toEqual([undefined, 'PS5']);
  });

  it('GIVEN random bytes THEN parsing never throws and every row is accounted for', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const batch = parseDeathLog('fuzz.csv', bytes, { final: true });
        expect(batch.rows).toBe(batch.events.length + batch.malformed.length);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('GIVEN random mutations of a good row THEN each broken row is malformed and never throws', () => {
    const field = fc.oneof(fc.string(), fc.constantFrom('', ';', '\u0000', '"', '\r', '9'.repeat(400)));
    fc.assert(
      fc.property(fc.array(field, { maxLength: 12 }), (fields) => {
        const clean = fields.map((f) => f.replace(/[;\r\n]/g, ''));
        const batch = parseDeathLog('fuzz.csv', row(clean), { final: true });
        // Every such line ends with the separator, so it is a row, never a blank line.
        expect(batch.rows).toBe(1);
        expect(batch.malformed).toHaveLength(1); // random text is never a real timestamp
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('GIVEN a 1 MB line between good rows THEN it is one malformed row with a short excerpt', () => {
    const huge = 'x'.repeat(1 << 20);
    const batch = parseDeathLog('big.csv', row(good) + `${huge}\n` + row(good));
    expect(batch.events).toHaveLength(2);
    expect(batch.malformed).toHaveLength(1);
    expect(batch.malformed[0]?.line).toBe(2);
    expect(batch.malformed[0]?.excerpt.length).toBeLessThanOrEqual(121);
  });

  it('GIVEN a quote character in a name THEN it does not swallow the following rows', () => {
    const fields = [...good];
    fields[1] = '"Bob';
    const batch = parseDeathLog('q.csv', row(fields) + row(good));
    expect(batch.events.map((e) => e.killerName)).toEqual(['"Bob', 'Killer']);
  });

  it('GIVEN timestamps THEN only real dates and times are accepted, as UTC', () => {
    expect(parseDeathLogTime('2025.05.15-10.42.18')).toBe(Date.UTC(2025, 4, 15, 10, 42, 18));
    expect(parseDeathLogTime('2024.02.29-00.00.00')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDeathLogTime('2025.02.29-00.00.00')).toBeNull();
    expect(parseDeathLogTime('2025.13.01-00.00.00')).toBeNull();
    expect(parseDeathLogTime('2025.05.15-10.60.00')).toBeNull();
    expect(parseDeathLogTime('2025.05.15-10.42.18', 120)).toBe(Date.UTC(2025, 4, 15, 8, 42, 18));
  });
});
