import { describe, expect, it } from 'vitest';
import { createDeathLogParser, emptySummary, mergeSummaries, parseDeathLog, summarize } from '../../../parsers/index.js';
import { fixtureBytes, realDeathLogs, referenceFigures } from '../../helpers/fixtures.js';

describe('death log: the real server files', () => {
  const reference = referenceFigures();
  const files = realDeathLogs();

  it('GIVEN each real file THEN its row count matches SOURCES.md and no row is malformed', () => {
    expect(files.map((f) => f.name)).toEqual([...reference.rowsPerFile.keys()].sort());
    for (const file of files) {
      const batch = parseDeathLog(file.name, file.bytes, { final: true });
      expect({ file: file.name, rows: batch.rows, malformed: batch.malformed }).toEqual({
        file: file.name, rows: reference.rowsPerFile.get(file.name), malformed: [],
      });
    }
  });

  it('GIVEN the console file THEN its one empty-killer row is an environment death', () => {
    const file = files.find((f) => f.name === '2025.05.01-00.00.00.csv');
    const batch = parseDeathLog('2025.05.01-00.00.00.csv', file?.bytes ?? Buffer.alloc(0), { final: true });
    const environment = batch.events.filter((e) => e.kind === 'environment');
    expect(environment).toHaveLength(1);
    expect(environment[0]?.killerName).toBe('');
    expect(environment[0]?.killerPlatform).toBe('');
    expect(environment[0]?.victimPlatform).toMatch(/^(PS5|XSX)$/);
  });

  it('GIVEN all four files in name order THEN the totals match the reference figures exactly', () => {
    let all = emptySummary();
    for (const file of files) all = mergeSummaries(all, summarize(parseDeathLog(file.name, file.bytes, { final: true })));
    expect({ ...all.totals, players: all.players.size }).toEqual({
      rows: reference.rows, kills: reference.kills, environment: reference.environment,
      suicides: reference.suicides, relocations: reference.relocations, falls: reference.falls,
      malformed: reference.malformed, players: reference.players,
    });
  });

  it('GIVEN each real file alone THEN its row count is the one SOURCES.md gives for it', () => {
    const perFile = new Map(files.map((f) => [f.name, parseDeathLog(f.name, f.bytes, { final: true }).rows]));
    expect(perFile).toEqual(reference.rowsPerFile);
  });

  it('GIVEN the synthetic 8-field file THEN every row is malformed, located and explained', () => {
    const batch = parseDeathLog('2025.05.09-11.58.37.csv', fixtureBytes('synthetic/2025.05.09-11.58.37.csv'), { final: true });
    expect(batch.events).toEqual([]);
    expect(batch.malformed).toHaveLength(reference.syntheticMalformed);
    expect(batch.malformed.map((m) => m.line)).toEqual([1, 2, 3]);
    for (const m of batch.malformed) {
      expect(m.file).toBe('2025.05.09-11.58.37.csv');
      expect(m.reason).toContain('8 fields');
    }
  });

  it('GIVEN the synthetic file read live THEN its unterminated last row waits for its newline', () => {
    const parser = createDeathLogParser({ file: 'live.csv' });
    const live = parser.push(fixtureBytes('synthetic/2025.05.09-11.58.37.csv'));
    expect(live.malformed.map((m) => m.line)).toEqual([1, 2]);
    expect(Buffer.from(parser.carry()).toString()).toContain('Player3');
    expect(parser.end().malformed.map((m) => m.line)).toEqual([3]);
  });

  it('GIVEN the empty file THEN nothing is counted', () => {
    const batch = parseDeathLog('2025.05.03-00.00.00.csv', fixtureBytes('synthetic/2025.05.03-00.00.00.csv'), { final: true });
    expect(batch).toEqual({ events: [], malformed: [], rows: 0, bytes: 0 });
  });
});
