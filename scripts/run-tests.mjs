// Runs the whole vitest suite and ends with one plain line, `tests: N passed, N failed, N skipped`,
// that CI reads (it does not know vitest's own summary). The exit code is vitest's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'killfeed-tests-'));
const out = join(dir, 'results.json');
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = 'tests: no result file (vitest did not finish)';
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
} catch { /* summary says so */ }
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(run.status ?? 1);
