import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

describe('store basics', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await startTestDatabase('basics');
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger: testLogger().logger });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('GIVEN a new server THEN it is listed without credentials and its credentials decrypt for the SFTP layer', async () => {
    const guild = store.guild(snowflake(1));
    const server = await guild.servers.add({ name: 'Main', host: 'sftp.example.net', port: 8822, username: 'deadside', password: 'hunter2-secret' });
    const listed = await guild.servers.list();
    expect(listed.map((s) => s.name)).toEqual(['Main']);
    expect(JSON.stringify(listed)).not.toContain('hunter2-secret');
    expect(listed[0]?.hasPassword).toBe(true);
    const creds = await guild.servers.credentials(server.id);
    expect(creds.password).toBe('hunter2-secret');
    expect(JSON.stringify({ creds })).not.toContain('hunter2');
  });

  it('GIVEN indexes created twice THEN start-up is idempotent', async () => {
    await store.ensureIndexes();
    await store.ensureIndexes();
  });
});
