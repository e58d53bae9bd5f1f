import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';
import { referenceFigures, requireFixtures } from '../helpers/fixtures.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

async function replayJson(args: string[]): Promise<{ totals: Record<string, number>; players: { id: string }[]; err: string[] }> {
  const c = capture();
  expect(await runCli(['replay', ...args, '--json'], c.io)).toBe(0);
  expect(c.out).toHaveLength(1);
  return { ...(JSON.parse(c.out[0] ?? '{}') as { totals: Record<string, number>; players: { id: string }[] }), err: c.err };
}

describe('killfeed replay: the real files through the real pipeline', () => {
  const dir = requireFixtures();
  const real = [join(dir, 'csv-7col'), join(dir, 'csv-9col')];

  it('GIVEN the four real files THEN the store holds exactly the reference figures, and every player equals the parser\'s own count', async () => {
    const ref = referenceFigures();
    const replayed = await replayJson(real);
    expect(replayed.totals).toEqual({ rows: ref.rows, kills: ref.kills, environment: ref.environment, suicides: ref.suicides, relocations: ref.relocations, falls: ref.falls, malformed: ref.malformed });
    expect(replayed.players).toHaveLength(ref.players);
    const parsed = capture();
    await runCli(['parse', ...real, '--json'], parsed.io);
    expect(replayed.players).toEqual((JSON.parse(parsed.out[0] ?? '{}') as { players: unknown[] }).players);
    expect(replayed.err.some((l) => /^replay: 4\/4 files, 2130 rows/.test(l))).toBe(true);
  });

  it('GIVEN the synthetic files THEN the three 8-field rows are counted as malformed and shown with file and line', async () => {
    const replayed = await replayJson([join(dir, 'synthetic')]);
    expect(replayed.totals).toMatchObject({ rows: 3, malformed: referenceFigures().syntheticMalformed, kills: 0 });
    expect(replayed.err.filter((l) => /^malformed: 2025\.05\.09-11\.58\.37\.csv:[123]: has 8 fields/.test(l))).toHaveLength(3);
  });

  describe('against a lasting database', () => {
    let db: DevMongo;
    const saved = { uri: process.env.MONGODB_URI, name: process.env.MONGODB_DATABASE };
    beforeAll(async () => {
      db = await startDevMongo();
      process.env.MONGODB_URI = db.uri;
      process.env.MONGODB_DATABASE = `replay_${Date.now()}`;
    });
    afterAll(async () => {
      for (const [k, v] of [['MONGODB_URI', saved.uri], ['MONGODB_DATABASE', saved.name]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await db.close();
    });

    it('GIVEN a second run over the same files THEN it continues from the cursors and the figures are the same', async () => {
      const first = await replayJson([...real, '--server', 'lasting']);
      const second = await replayJson([...real, '--server', 'lasting']);
      expect(second.totals).toEqual(first.totals);
      expect(second.players).toEqual(first.players);
      expect(second.err.some((l) => /^replay: 4\/4 files, 0 rows/.test(l))).toBe(true);
    });
  });

  it('GIVEN a file not named like a death log THEN a plain message says how to name it', async () => {
    const c = capture();
    expect(await runCli(['replay', join(dir, 'SOURCES.md')], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/SOURCES\.md: a death log is named like 2025\.05\.15-00\.00\.00\.csv/);
  });
});
