import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDeathLog, summarize } from '../../parsers/index.js';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';
import { createIngestWriter, openStore, parseSecretsKey, type Store } from '../../src/store/index.js';
import { snowflake, testLogger } from './helpers.js';

describe('the ingest writer when the database stays away', () => {
  let dev: DevMongo;
  let store: Store;
  afterAll(async () => {
    await dev.resume().catch(() => undefined);
    await store.close();
    await dev.close();
  });

  it('GIVEN the database gone past the retry window THEN waiting callers get a plain error and the owner hears once that the writer stopped', async () => {
    dev = await startDevMongo();
    const { logger, sink } = testLogger('info');
    store = await openStore({ uri: dev.uri, dbName: 'gives_up', secretsKey: parseSecretsKey(randomBytes(32).toString('hex')), logger, serverSelectionTimeoutMS: 200 });
    const stopped: Error[] = [];
    const writer = createIngestWriter(store, { logger, flushMs: 10, retry: { initialMs: 20, maxMs: 50, giveUpAfterMs: 400 }, onStopped: (e) => stopped.push(e) });
    const guild = store.guild(snowflake(3));
    const server = await guild.servers.add({ name: 'far', localPath: '/srv/far' });
    const target = await guild.ingest.target(server.id);
    await dev.pause();
    const summary = summarize(parseDeathLog('2025.05.15-00.00.00.csv', '2025.05.15-10.00.00;A;0002aa;B;0002bb;AK-mod;10;\n'));
    await writer.add(target, { summary, cursors: [] });
    await expect(writer.flush()).rejects.toThrow(/ingest writer stopped after a database error/);
    expect(stopped).toHaveLength(1);
    expect(sink.lines.filter((l) => l.msg === 'ingest writer stopped: a batch could not be written')).toHaveLength(1);
  });
});
