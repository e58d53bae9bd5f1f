import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { referenceFigures, requireFixtures } from '../helpers/fixtures.js';
import { startTestDatabase, type TestDatabase } from '../store/helpers.js';

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

/** Sets the environment the CLI reads for the tests of this file, and puts it back afterwards. */
function useDatabaseEnv(): { set(uri: string | undefined, name: string | undefined): void; restore(): void } {
  const saved = { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DATABASE: process.env.MONGODB_DATABASE };
  const put = (key: keyof typeof saved, value: string | undefined) => {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  };
  return {
    set: (uri, name) => { put('MONGODB_URI', uri); put('MONGODB_DATABASE', name); },
    restore: () => { put('MONGODB_URI', saved.MONGODB_URI); put('MONGODB_DATABASE', saved.MONGODB_DATABASE); },
  };
}

describe('killfeed replay: the real files through the real pipeline', () => {
  const dir = requireFixtures();
  const real = [join(dir, 'csv-7col'), join(dir, 'csv-9col')];
  // Without MONGODB_URI each replay has an in-process dev-mongo of its own; against a real MongoDB
  // each test gets a fresh database (dropped afterwards), so no run sees what another wrote.
  const env = useDatabaseEnv();
  let scratch: TestDatabase | undefined;
  beforeAll(async () => {
    if (process.env.MONGODB_URI) scratch = await startTestDatabase('replay');
  });
  beforeEach(() => {
    if (scratch) env.set(scratch.uri, scratch.another('replay'));
  });
  afterAll(async () => {
    env.restore();
    await scratch?.dispose();
  });

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
    let lasting: TestDatabase;
    beforeAll(async () => {
      lasting = await startTestDatabase('replay_lasting');
    });
    afterAll(async () => {
      env.restore();
      await lasting.dispose();
    });

    it('GIVEN a second run over the same files THEN it continues from the cursors and the figures are the same', async () => {
      env.set(lasting.uri, lasting.dbName);
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
