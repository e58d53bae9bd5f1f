import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevDiscord } from '../../src/dev-discord/index.js';
import type { DevDiscord } from '../../src/dev-discord/types.js';
import { startTestDatabase, type TestDatabase } from '../store/helpers.js';

describe('npm start (src/main.ts)', () => {
  let db: TestDatabase;
  let dev: DevDiscord;

  beforeAll(async () => {
    db = await startTestDatabase('main');
    dev = await startDevDiscord();
  });
  afterAll(async () => {
    await dev.close();
    await db.dispose();
  });

  it('GIVEN the bot running THEN SIGTERM stops it: the process exits 0 after logging that it stopped', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '', DISCORD_TOKEN: dev.token, DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl,
        MONGODB_URI: db.uri, MONGODB_DATABASE: db.dbName, SECRETS_KEY: randomBytes(32).toString('hex'), POOL_MAX_THREADS: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const messages: string[] = [];
    const loggedIn = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        messages.push((JSON.parse(line) as { msg: string }).msg);
        if (messages.at(-1) === 'logged in to Discord') resolve();
      });
    });
    const exited = once(child, 'exit');
    await loggedIn;
    expect(dev.connected()).toBe(true);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(messages.at(-1)).toBe('stopped');
  });
});
