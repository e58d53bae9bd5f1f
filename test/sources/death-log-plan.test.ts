import { describe, expect, it } from 'vitest';
import { afterListing, listingDue, NEVER_LISTED, planDeathLogFolder } from '../../src/sources/death-log-plan.js';

describe('planDeathLogFolder: which day files to read', () => {
  const names = ['2025.05.15-00.00.00.csv', 'notes.txt', '2025.05.01-00.00.00.csv', 'backup.csv'];
  it('GIVEN no file read yet THEN starts on the newest name, ignoring other names', () => {
    expect(planDeathLogFolder(null, names)).toEqual({ kind: 'start', file: '2025.05.15-00.00.00.csv' });
    expect(planDeathLogFolder(null, ['readme.md'])).toEqual({ kind: 'empty' });
  });
  it('GIVEN the file being read is the newest THEN continues it', () => {
    expect(planDeathLogFolder('2025.05.15-00.00.00.csv', names)).toEqual({ kind: 'continue', file: '2025.05.15-00.00.00.csv' });
  });
  it('GIVEN newer files THEN drains the old one first, then each newer one in name order', () => {
    const more = [...names, '2025.05.17-00.00.00.csv', '2025.05.16-00.00.00.csv'];
    expect(planDeathLogFolder('2025.05.15-00.00.00.csv', more)).toEqual({
      kind: 'rotate', drain: '2025.05.15-00.00.00.csv', then: ['2025.05.16-00.00.00.csv', '2025.05.17-00.00.00.csv'],
    });
  });
  it('GIVEN the file being read was deleted THEN goes on only with newer files, never back to older ones', () => {
    expect(planDeathLogFolder('2025.05.10-00.00.00.csv', names)).toEqual({ kind: 'vanished', file: '2025.05.10-00.00.00.csv', then: ['2025.05.15-00.00.00.csv'] });
    expect(planDeathLogFolder('2025.06.01-00.00.00.csv', names)).toEqual({ kind: 'vanished', file: '2025.06.01-00.00.00.csv', then: [] });
  });
});

describe('listingDue: list the folder only when it may hold a new file', () => {
  it('GIVEN a steady folder mtime THEN lists twice (the second confirms once the second is over), then stops', () => {
    let watch = NEVER_LISTED;
    expect(listingDue(watch, 100_000, 0)).toBe(true);
    watch = afterListing(watch, 100_000, 0);
    expect(listingDue(watch, 100_000, 500)).toBe(true);
    watch = afterListing(watch, 100_000, 500);
    expect(watch.confirmed).toBe(false);
    watch = afterListing(watch, 100_000, 30_000);
    expect(listingDue(watch, 100_000, 60_000)).toBe(false);
  });
  it('GIVEN a changed mtime or a long quiet time THEN lists again', () => {
    const settled = afterListing(afterListing(NEVER_LISTED, 100_000, 0), 100_000, 30_000);
    expect(listingDue(settled, 101_000, 60_000)).toBe(true);
    expect(listingDue(settled, 100_000, 30_000 + 600_000)).toBe(true);
  });
});
