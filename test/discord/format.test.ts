import { describe, expect, it } from 'vitest';
import {
  buildEmbed, codeTable, EMBED_LIMITS, embedSize, fitLines, formatAgo, formatBytes, formatDuration, formatPercent, truncate,
} from '../../src/discord/format/index.js';

describe('units', () => {
  it('GIVEN durations from sub-millisecond to days THEN each reads in the unit a person would use', () => {
    expect([0.24, 3, 850, 4_200, 42_000, 245_000, 3 * 3_600_000 + 12 * 60_000, 2 * 86_400_000 + 4 * 3_600_000].map(formatDuration))
      .toEqual(['0.2 ms', '3 ms', '850 ms', '4.2 s', '42 s', '4m 05s', '3h 12m', '2d 04h']);
    expect(formatDuration(Number.NaN)).toBe('-');
  });

  it('GIVEN sizes THEN they read in powers of 1024 with at most three significant digits', () => {
    expect([512, 1536, 12.34 * 1024 ** 2, 180.4 * 1024 ** 2, 1.2 * 1024 ** 3].map(formatBytes))
      .toEqual(['512 B', '1.5 KiB', '12.3 MiB', '180 MiB', '1.2 GiB']);
  });

  it('GIVEN times before and after now THEN they read as ages or waits, and a missing one as never', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatAgo('2026-01-01T11:59:48Z', now)).toBe('12 s ago');
    expect(formatAgo('2026-01-01T11:55:55Z', now)).toBe('4m 05s ago');
    expect(formatAgo('2026-01-01T12:00:05Z', now)).toBe('in 5 s');
    expect(formatAgo('2026-01-01T12:00:00.200Z', now)).toBe('just now');
    expect(formatAgo(null, now)).toBe('never');
    expect([1, 0.99234, 0].map(formatPercent)).toEqual(['100%', '99.2%', '0%']);
  });
});

describe('text', () => {
  it('GIVEN text over a limit THEN it is cut to the limit with an ellipsis, never halving an emoji', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    const cut = truncate('ab😀cd', 4);
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(cut).toBe('ab…');
  });

  it('GIVEN more lines than fit THEN whole lines are kept and the rest counted, within the limit', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    const text = fitLines(lines, 100);
    expect(text.length).toBeLessThanOrEqual(100);
    const shown = text.split('\n');
    const more = Number(/^\+(\d+) more$/.exec(shown.at(-1) ?? '')?.[1]);
    expect(shown.slice(0, -1)).toEqual(lines.slice(0, shown.length - 1));
    expect(shown.length - 1 + more).toBe(100);
    expect(fitLines(['a', 'b'], 100)).toBe('a\nb');
  });
});

describe('codeTable', () => {
  it('GIVEN rows THEN columns line up in a code block, numbers aligned right', () => {
    const table = codeTable(['ID', 'TASK', 'FOR'], [['7', 'tick', '1.2 s'], ['12', 'history run', '4m 05s']], { maxChars: 1024, alignRight: [0] });
    expect(table).toBe(['```', 'ID  TASK         FOR', ' 7  tick         1.2 s', '12  history run  4m 05s', '```'].join('\n'));
  });

  it('GIVEN more rows than fit THEN the block stays closed and within the limit, and the rest is counted after it', () => {
    const rows = Array.from({ length: 100 }, (_, i) => [String(i), `server number ${i}`]);
    const table = codeTable(['ID', 'SERVER'], rows, { maxChars: 1024 });
    expect(table.length).toBeLessThanOrEqual(1024);
    const [block = '', after = ''] = table.split(/\n```\n/);
    const shown = block.split('\n').length - 2;
    expect(after).toBe(`+${100 - shown} more`);
    expect(shown).toBeGreaterThan(30);
  });

  it('GIVEN a cell with backticks or too long THEN it cannot close the block and is cut', () => {
    const table = codeTable(['NAME'], [['```evil```'], ['x'.repeat(50)]], { maxChars: 1024, maxCellWidth: 10 });
    expect(table.match(/```/g)).toHaveLength(2);
    expect(table).toContain(`${'x'.repeat(9)}…`);
  });
});

describe('buildEmbed', () => {
  it('GIVEN texts over each limit and 40 fields THEN every limit holds and the footer counts the fields left out', () => {
    const embed = buildEmbed({
      title: 't'.repeat(300), description: 'd'.repeat(5_000), footer: 'pool',
      fields: Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`.repeat(200), value: 'v'.repeat(2_000) })),
    });
    const L = EMBED_LIMITS;
    expect(embed.title?.length).toBe(L.title);
    expect(embed.description?.length).toBeLessThanOrEqual(L.description);
    expect(embed.fields?.length).toBeLessThanOrEqual(L.fields);
    for (const f of embed.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
    }
    expect(embedSize(embed)).toBeLessThanOrEqual(L.total);
    expect(embed.footer?.text).toBe(`pool · ${40 - (embed.fields?.length ?? 0)} more fields left out`);
  });

  it('GIVEN a small draft THEN it comes back as written, empty values shown as a dash', () => {
    expect(buildEmbed({ title: 'Queue', fields: [{ name: 'HIGH', value: '', inline: true }], color: 1 }))
      .toEqual({ title: 'Queue', color: 1, fields: [{ name: 'HIGH', value: '-', inline: true }] });
  });
});
