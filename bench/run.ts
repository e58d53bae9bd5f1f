/**
 * `npm run bench` runs every `bench/*.bench.ts`, one child process each so that one benchmark's
 * heap and threads do not colour the next; `npm run bench -- <name>` runs `bench/<name>.bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`No benchmark named ${unknown.join(', ')}. Available: ${available.join(', ')}.\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  process.stderr.write(`\n== bench ${name}\n`);
  // With the one V8 helper thread the bot is started with (package.json `start` and `replay`).
  const run = spawnSync(process.execPath, ['--v8-pool-size=1', '--import', 'tsx', '--expose-gc', join(here, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`bench ${name} failed (exit ${run.status ?? run.signal})\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
