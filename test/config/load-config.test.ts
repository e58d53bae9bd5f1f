import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../../config/load-config.js';
import { variables } from '../../config/variables.js';

const goodBot = {
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.fake-token-value',
  DISCORD_APPLICATION_ID: '123456789012345678',
  MONGODB_URI: 'mongodb://bot:s3cret-pass@127.0.0.1:27017/',
  SECRETS_KEY: 'a'.repeat(64),
};

function problemsOf(env: Record<string, string>, mode: 'bot' | 'tool'): string[] {
  try {
    loadConfig(env, mode);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('GIVEN nothing set for the bot THEN one error lists every missing variable with what a good value looks like', () => {
    const problems = problemsOf({}, 'bot');
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/DISCORD_TOKEN is not set: it should be the bot token/);
    expect(problems.join('\n')).toMatch(/SECRETS_KEY is not set: .*openssl rand -hex 32/);
    expect(() => loadConfig({}, 'bot')).toThrow(/The configuration has 4 problems/);
  });

  it('GIVEN several bad values THEN all are reported together, naming each variable', () => {
    const problems = problemsOf({ ...goodBot, HTTP_PORT: '99999', LOG_LEVEL: 'loud', POOL_INTERACTIVE_SHARE: '1.5', POOL_MIN_THREADS: '8', POOL_MAX_THREADS: '2' }, 'bot');
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['LOG_LEVEL', 'HTTP_PORT', 'POOL_INTERACTIVE_SHARE', 'POOL_MIN_THREADS']);
    expect(problems[1]).toBe('HTTP_PORT "99999" is not valid: it should be a TCP port from 0 to 65535 (0 turns the health API off).');
  });

  it('GIVEN a bad secret THEN the error never shows its value', () => {
    const problems = problemsOf({ ...goodBot, MONGODB_URI: 'postgres://bot:hunter22@db/' }, 'bot');
    expect(problems).toEqual([expect.stringContaining('MONGODB_URI (value hidden) is not valid')]);
    expect(problems.join('')).not.toContain('hunter22');
  });

  it('GIVEN a good bot environment THEN defaults fill the rest and the secrets are known to the logger', () => {
    const config = loadConfig(goodBot, 'bot');
    expect(config).toMatchObject({ pollIntervalSeconds: 10, httpPort: 8080, logLevel: 'info', poolInteractiveShare: 0.25 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(secretValues(config)).toEqual(expect.arrayContaining([goodBot.DISCORD_TOKEN, goodBot.SECRETS_KEY, 's3cret-pass']));
  });

  it('GIVEN the offline tools THEN nothing is required', () => {
    expect(loadConfig({}, 'tool').mongodbDatabase).toBe('killfeed');
  });

  it('GIVEN .env.example THEN it lists exactly the variables the loader reads, each with a comment', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.values(variables).map((v) => v.name).sort());
    for (const name of listed) expect(example).toMatch(new RegExp(`#[^\\n]*\\n(#[^\\n]*\\n)*${name}=`));
  });
});
