import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, parseSecretsKey } from '../../src/store/index.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';

describe('SFTP credentials at rest', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await startTestDatabase('secrets'); });
  afterAll(async () => { await db.dispose(); });

  it('GIVEN a missing or malformed SECRETS_KEY THEN start-up fails naming it and how to make one, without echoing it', () => {
    expect(() => parseSecretsKey(undefined)).toThrow(/SECRETS_KEY is not set.*openssl rand -hex 32/);
    expect(() => parseSecretsKey('abc123-not-a-key')).toThrow(/SECRETS_KEY is malformed.*64 hex/);
    expect(() => parseSecretsKey('abc123-not-a-key')).not.toThrow(/abc123/);
    expect(() => parseSecretsKey('ab'.repeat(31))).toThrow(/malformed/);
    expect(parseSecretsKey(randomBytes(32).toString('base64')).bytes).toHaveLength(32);
    expect(parseSecretsKey(randomBytes(32).toString('hex')).bytes).toHaveLength(32);
  });

  it('GIVEN a server saved with a password and a key THEN the database holds only ciphertext and nothing prints them', async () => {
    const { logger, sink } = testLogger();
    const key = freshKey();
    const store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: key, logger });
    const guild = store.guild(snowflake(3));
    const password = 'pa55-Very-Secret';
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const server = await guild.servers.add({ name: 'Keys', host: 'h', username: 'u', password, privateKey });
    const creds = await guild.servers.credentials(server.id);
    expect([creds.password, creds.privateKey]).toEqual([password, privateKey]);
    logger.info({ server, creds }, 'server saved');
    const shown = [JSON.stringify(creds), inspect(creds), String(creds), JSON.stringify(server), inspect(server), inspect(key), ...sink.raw].join('\n');
    expect(shown).not.toContain(password);
    expect(shown).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');

    const client = new MongoClient(db.uri);
    const raw = JSON.stringify(await client.db(db.dbName).collection('servers').find({}).toArray());
    await client.close();
    expect(raw).not.toContain(password);
    expect(raw).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');

    const wrongKey = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: freshKey(), logger });
    const failure = await wrongKey.guild(snowflake(3)).servers.credentials(server.id).catch((e: unknown) => e as Error);
    expect(String(failure)).toMatch(/SECRETS_KEY is not the key it was saved with/);
    expect(String(failure)).not.toContain(password);
    await wrongKey.close();
    await store.close();
  });
});
