import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/load-config.js';
import { watchGameServer } from '../../src/app/watch-game-server.js';
import { createSftpPool } from '../../src/sources/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from '../store/helpers.js';

function configProblem(value: string): string {
  try {
    loadConfig({ POLL_INTERVAL_SECONDS: value }, 'tool');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

describe('how often a game server is read', () => {
  let db: TestDatabase;
  let store: Store;
  const folder = mkdtempSync(join(tmpdir(), 'killfeed-poll-'));
  const sftp = createSftpPool();
  const { logger } = testLogger('info');
  beforeAll(async () => {
    db = await startTestDatabase('poll');
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
  });
  afterAll(async () => {
    await sftp.close();
    await store.close();
    await db.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  const watchedEvery = async (env: Record<string, string>, server: { pollSeconds?: number }): Promise<number> => {
    const config = loadConfig(env, 'tool');
    const guild = store.guild(snowflake(7));
    const added = await guild.servers.add({ name: `s${Math.random()}`, localPath: folder, ...server });
    const watch = await watchGameServer({ guild, server: added, sftp, logger, defaultIntervalSeconds: config.pollIntervalSeconds });
    await watch.source.close();
    return watch.intervalMs / 1000;
  };

  it('GIVEN a server added without an interval THEN it is read every POLL_INTERVAL_SECONDS (10 by default), and one with its own interval at that', async () => {
    expect(await watchedEvery({}, {})).toBe(10);
    expect(await watchedEvery({ POLL_INTERVAL_SECONDS: '25' }, {})).toBe(25);
    expect(await watchedEvery({ POLL_INTERVAL_SECONDS: '25' }, { pollSeconds: 40 })).toBe(40);
  });

  it('GIVEN a server whose own interval is cleared THEN it falls back to POLL_INTERVAL_SECONDS', async () => {
    const guild = store.guild(snowflake(8));
    const added = await guild.servers.add({ name: 'own', localPath: folder, pollSeconds: 40 });
    const cleared = await guild.servers.update(added.id, { pollSeconds: null });
    expect(cleared.pollSeconds).toBeNull();
    const watch = await watchGameServer({ guild, server: cleared, sftp, logger, defaultIntervalSeconds: 15 });
    await watch.source.close();
    expect(watch.intervalMs).toBe(15_000);
  });

  it('GIVEN an interval below the floor THEN the variable and a server\'s own interval are both refused, naming the value and what is allowed; the floor itself is accepted by both', async () => {
    expect(configProblem('7')).toBe('POLL_INTERVAL_SECONDS "7" is not valid: it should be the time between reads of a game server without an interval of its own, in whole seconds from 10 to 3600.');
    const guild = store.guild(snowflake(9));
    await expect(guild.servers.add({ name: 'fast', localPath: folder, pollSeconds: 7 }))
      .rejects.toThrow('The poll interval 7 is not allowed: give whole seconds from 10 to 3600, or none to use POLL_INTERVAL_SECONDS.');
    expect(configProblem('10')).toBe('');
    expect((await guild.servers.add({ name: 'floor', localPath: folder, pollSeconds: 10 })).pollSeconds).toBe(10);
  });
});
