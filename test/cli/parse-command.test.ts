import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { referenceFigures, requireFixtures } from '../helpers/fixtures.js';

function capture(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

describe('killfeed parse', () => {
  it('GIVEN the real fixture folders THEN --json prints the reference totals and every player once', async () => {
    const dir = requireFixtures();
    const ref = referenceFigures();
    const c = capture();
    expect(await runCli(['parse', join(dir, 'csv-9col'), join(dir, 'csv-7col'), '--json'], c.io)).toBe(0);
    expect(c.out).toHaveLength(1);
    const report = JSON.parse(c.out[0] ?? '{}') as { totals: Record<string, number>; players: { id: string; kills: number; deaths: number }[] };
    expect(report.totals).toEqual({ rows: ref.rows, kills: ref.kills, environment: ref.environment, suicides: ref.suicides, relocations: ref.relocations, falls: ref.falls, malformed: ref.malformed });
    expect(report.players).toHaveLength(ref.players);
    expect(report.players.map((p) => p.id)).toEqual([...report.players.map((p) => p.id)].sort());
    expect(report.players.reduce((a, p) => a + p.kills, 0)).toBe(ref.kills);
  });

  it('GIVEN the synthetic file THEN malformed rows are listed on stderr with file and line', async () => {
    const c = capture();
    await runCli(['parse', join(requireFixtures(), 'synthetic')], c.io);
    expect(c.err.filter((l) => l.startsWith('malformed:'))).toHaveLength(3);
    expect(c.err.join('\n')).toMatch(/2025\.05\.09-11\.58\.37\.csv:1: has 8 fields/);
    expect(c.out.join('\n')).toMatch(/malformed 3/);
  });

  it('GIVEN a missing path or an unknown command THEN a plain message and a failing exit code', async () => {
    const c = capture();
    expect(await runCli(['parse', '/nowhere/at/all'], c.io)).toBe(1);
    expect(c.err.join('\n')).toBe('killfeed parse: /nowhere/at/all does not exist: name a death-log CSV file or a folder that holds them.');
    expect(await runCli(['fly'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/Unknown command "fly"/);
  });
});
