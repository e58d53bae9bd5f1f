import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';

function capture(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

describe('killfeed --help and --version', () => {
  it('GIVEN --help or -h THEN every command with its usage on stdout, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const c = capture();
      expect(await runCli([flag], c.io)).toBe(0);
      expect(c.err).toEqual([]);
      for (const command of ['replay', 'parse', 'dev-mongo', 'dev-discord']) expect(c.out.join('\n')).toContain(`killfeed ${command} `);
    }
  });

  it('GIVEN <command> --help THEN that command\'s usage, exit 0, and the command does not run', async () => {
    const c = capture();
    expect(await runCli(['replay', '--help'], c.io)).toBe(0);
    expect(c.out).toEqual([expect.stringMatching(/^Usage: killfeed replay <file-or-folder>\.\.\. /)]);
    expect(c.err).toEqual([]);
  });

  it('GIVEN --version THEN the version of package.json', async () => {
    const c = capture();
    expect(await runCli(['--version'], c.io)).toBe(0);
    expect(c.out).toEqual([`killfeed ${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}`]);
  });

  it('GIVEN an unknown command THEN it is named, the usage follows on stderr, exit 2', async () => {
    const c = capture();
    expect(await runCli(['replya'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/^Unknown command "replya"\. Usage: killfeed <command>/);
  });
});
