import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real Deadside files live outside the project (they are never copied in): `../shared/fixtures/deadside`
 * beside the repository, or wherever DEADSIDE_FIXTURES points.
 */
export const fixturesDir = resolve(
  process.env.DEADSIDE_FIXTURES ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'fixtures', 'deadside'),
);

/** Throws a plain explanation when the fixtures are missing, instead of a bare ENOENT. */
export function requireFixtures(): string {
  if (!existsSync(join(fixturesDir, 'SOURCES.md'))) {
    throw new Error(
      `The Deadside fixtures are not at ${fixturesDir}. Clone the project beside its shared/ folder, or set ` +
      'DEADSIDE_FIXTURES to the folder that holds SOURCES.md, csv-7col/, csv-9col/, serverlog/ and synthetic/.',
    );
  }
  return fixturesDir;
}

/** The four real death logs, in file-name order (the order rows are applied in). */
export function realDeathLogs(): { name: string; path: string; bytes: Buffer }[] {
  const dir = requireFixtures();
  return ['csv-7col', 'csv-9col']
    .flatMap((sub) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.csv')).map((f) => join(dir, sub, f)))
    .sort((a, b) => basename(a).localeCompare(basename(b)))
    .map((path) => ({ name: basename(path), path, bytes: readFileSync(path) }));
}

export function fixtureBytes(relative: string): Buffer {
  return readFileSync(join(requireFixtures(), relative));
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Reference figures, read from SOURCES.md itself so the tests follow the fixtures' own documentation. */
export interface ReferenceFigures {
  rowsPerFile: Map<string, number>;
  rows: number; kills: number; environment: number; suicides: number;
  relocations: number; falls: number; malformed: number; players: number;
  syntheticMalformed: number;
}

export function referenceFigures(): ReferenceFigures {
  const text = readFileSync(join(requireFixtures(), 'SOURCES.md'), 'utf8');
  const num = (re: RegExp): number => {
    const m = re.exec(text);
    if (!m?.[1]) throw new Error(`SOURCES.md no longer states ${re}: update the test to its new wording`);
    return Number(m[1].replace(/,/g, ''));
  };
  const rowsPerFile = new Map<string, number>();
  for (const m of text.matchAll(/\| csv-\dcol\/([\d.-]+\.csv) \| [^|]*?\b([\d,]+) rows/g)) {
    if (m[1] && m[2]) rowsPerFile.set(m[1], Number(m[2].replace(/,/g, '')));
  }
  return {
    rowsPerFile,
    rows: num(/rows ([\d,]+) ·/),
    kills: num(/PvP kills ([\d,]+)/),
    environment: num(/environment deaths ([\d,]+)/),
    suicides: num(/suicides ([\d,]+) \(/),
    relocations: num(/relocations ([\d,]+)/),
    falls: num(/falls ([\d,]+)\)/),
    malformed: num(/malformed ([\d,]+) ·/),
    players: num(/distinct players ([\d,]+)/),
    // "adds 3 rows, all malformed" (earlier wording: "adds 3 malformed rows").
    syntheticMalformed: num(/adds (\d+) (?:rows, all malformed|malformed rows)/),
  };
}
