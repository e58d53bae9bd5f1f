import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm run demo` in its short mode, as a newcomer runs it: output and exit code. */
function runDemo(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'demo', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('npm run demo', () => {
  it('GIVEN a short run THEN kills are posted, /stats and /admin queue are answered, the dashboard is named, and it exits 0', async () => {
    const { code, out, err } = await runDemo(['--seconds', '8']);
    expect({ code, err: err.split('\n').filter((l) => /error|failed/i.test(l)) }).toEqual({ code: 0, err: [] });
    expect(out).toMatch(/^\[Dev Guild \d #killfeed\] (Kill|Long shot|\d+ kills in a row)[^\n]*: \S.* killed /m);
    expect(out).toMatch(/member \/stats player:\w+\n\s+-> [^\n]+\n(?:[^\n]*\n){0,2}[^\n]*Kills: [\d,]+ \| Deaths: [\d,]+ \| KD: /);
    expect(out).toMatch(/admin \/admin queue\n\s+-> Background work: Up /);
    expect(out).toMatch(/admin \/server history server:\w+\n\s+-> History of Deadside EU #1 read: \d+ death-log files, [\d,]+ rows/);
    expect(out).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    const posted = Number(/(\d+) killfeed posts/.exec(out)?.[1]);
    expect(posted).toBeGreaterThan(0);
  }, 180_000);

  it('GIVEN a bad --seconds THEN it says what a good value is and exits 2', async () => {
    const { code, err } = await runDemo(['--seconds', 'soon']);
    expect(code).toBe(2);
    expect(err).toContain("--seconds must be a number from 5 to 3600, got 'soon'");
  });
});
