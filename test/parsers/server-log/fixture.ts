import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the shared Deadside fixtures live (never copied into the project). */
export const fixturesDir = process.env.DEADSIDE_FIXTURES ?? join(repoRoot, '..', 'shared', 'fixtures', 'deadside');

/** The synthetic Deadside.log, as bytes; fails saying where it looked and how to point elsewhere. */
export function readServerLogFixture(): Uint8Array {
  const path = join(fixturesDir, 'serverlog', 'Deadside.synthetic.log');
  if (!existsSync(path)) {
    throw new Error(`Deadside.log fixture not found at ${path}. Set DEADSIDE_FIXTURES to the folder holding serverlog/Deadside.synthetic.log (the shared fixtures/deadside folder).`);
  }
  return new Uint8Array(readFileSync(path));
}
