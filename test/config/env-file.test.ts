import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const envFile = resolve('config/env-file.ts');
/** tsx by path: the child runs in a folder with no node_modules. */
const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

/** Runs a child node in `cwd` that loads `.env` and prints the named variables as JSON. */
function loadIn(cwd: string, env: Record<string, string>, names: string[]): { status: number | null; out: unknown; err: string } {
  const code = `const { loadDotEnv } = await import(${JSON.stringify(pathToFileURL(envFile).href)});
    const file = loadDotEnv();
    console.log(JSON.stringify({ file, ...Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n] ?? null])) }));`;
  const child = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', code], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { status: child.status, out: child.stdout ? JSON.parse(child.stdout.trim().split('\n').at(-1) ?? 'null') : null, err: child.stderr };
}

describe('.env', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'killfeed-env-'));
    dirs.push(dir);
    return dir;
  };

  it('GIVEN a .env in the working folder THEN its variables are read, and one set in the environment wins', () => {
    const dir = folder();
    writeFileSync(join(dir, '.env'), '# copied from .env.example\nLOG_LEVEL=debug\nPOLL_INTERVAL_SECONDS=30\nSECRETS_KEY="abc def"\n');
    const run = loadIn(dir, { POLL_INTERVAL_SECONDS: '60' }, ['LOG_LEVEL', 'POLL_INTERVAL_SECONDS', 'SECRETS_KEY']);
    expect(run.err).toBe('');
    expect(run.out).toEqual({ file: join(dir, '.env'), LOG_LEVEL: 'debug', POLL_INTERVAL_SECONDS: '60', SECRETS_KEY: 'abc def' });
  });

  it('GIVEN no .env THEN nothing is read and nothing fails', () => {
    const run = loadIn(folder(), {}, ['LOG_LEVEL']);
    expect(run.out).toEqual({ file: null, LOG_LEVEL: null });
  });
});
