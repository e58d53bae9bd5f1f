import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

describe('feed problems in the guild settings', () => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    db = await startTestDatabase('feed-problems');
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger: testLogger().logger });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('GIVEN a feed refused twice THEN the admins are told once, and setting the channel again clears it', async () => {
    const settings = store.guild(snowflake(7)).settings;
    await settings.setChannel('killfeed', snowflake(70));
    const problem = { code: 50013, message: 'The bot may not post in #kills: give it Send Messages there.', at: new Date(1_000), channelId: snowflake(70) };
    expect(await settings.reportProblem('killfeed', problem)).toBe(true);
    expect(await settings.reportProblem('killfeed', { ...problem, at: new Date(2_000) })).toBe(false);
    expect((await settings.get()).problems).toEqual({ killfeed: problem });

    await settings.setChannel('killfeed', snowflake(71));
    expect((await settings.get()).problems).toEqual({});
    expect(await settings.reportProblem('killfeed', problem)).toBe(true);
    await settings.clearChannel('killfeed');
    expect(await settings.get()).toMatchObject({ channels: {}, problems: {} });
  });
});
