import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeathLog, summarize } from '../../parsers/index.js';
import { startDevMongo, type DevMongo } from '../../src/dev-mongo/index.js';
import { createIngestWriter, openStore, parseSecretsKey, type IngestTarget, type IngestWriter, type Store } from '../../src/store/index.js';
import { snowflake, testLogger } from './helpers.js';

const summary = summarize(parseDeathLog('2025.05.15-00.00.00.csv', '2025.05.15-10.00.00;A;0002aa;B;0002bb;AK-mod;10;\n'));

describe('the ingest writer when the database stays away', () => {
  let dev: DevMongo | null = null;
  let store: Store | null = null;
  afterEach(async () => {
    await dev?.resume().catch(() => undefined);
    await store?.close();
    await dev?.close();
  });

  /** A store on its own dev-mongo, one game server, and a writer that gives up after 400 ms. */
  async function setUp(): Promise<{ dev: DevMongo; writer: IngestWriter; target: IngestTarget; stopped: Error[]; log: ReturnType<typeof testLogger> }> {
    dev = await startDevMongo();
    const log = testLogger('info');
    store = await openStore({ uri: dev.uri, dbName: 'gives_up', secretsKey: parseSecretsKey(randomBytes(32).toString('hex')), logger: log.logger, serverSelectionTimeoutMS: 200 });
    const stopped: Error[] = [];
    const writer = createIngestWriter(store, { logger: log.logger, flushMs: 10, retry: { initialMs: 20, maxMs: 50, giveUpAfterMs: 400 }, onStopped: (e) => stopped.push(e) });
    const guild = store.guild(snowflake(3));
    const server = await guild.servers.add({ name: 'far', localPath: '/srv/far' });
    return { dev, writer, target: await guild.ingest.target(server.id), stopped, log };
  }

  it('GIVEN the database gone past the retry window THEN waiting callers get a plain error and the owner hears once that the writer stopped', async () => {
    const { dev, writer, target, stopped, log } = await setUp();
    await writer.resume(target);
    await dev.pause();
    await writer.add(target, { summary, cursors: [] });
    await expect(writer.flush()).rejects.toThrow(/ingest writer stopped after a database error/);
    await expect(writer.add(target, { summary, cursors: [] })).rejects.toThrow(/ingest writer stopped after a database error/);
    expect(stopped).toHaveLength(1);
    expect(log.sink.lines.filter((l) => l.msg === 'ingest writer stopped: a batch could not be written')).toHaveLength(1);
  });

  it('GIVEN the database gone before a server\'s state was ever loaded THEN adding work fails plainly and the owner hears once', async () => {
    const { dev, writer, target, stopped, log } = await setUp();
    await dev.pause();
    await expect(writer.add(target, { summary, cursors: [] })).rejects.toThrow(/ingest writer stopped after a database error/);
    await expect(writer.flush()).rejects.toThrow(/ingest writer stopped after a database error/);
    expect(stopped).toHaveLength(1);
    expect(log.sink.lines.filter((l) => l.msg === 'ingest writer stopped: its state could not be loaded')).toHaveLength(1);
  });
});
