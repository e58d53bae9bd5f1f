import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeathLogHistory } from '../../src/generator/death-log.js';
import { createIngestWriter, openStore } from '../../src/store/index.js';
import { feedFiles, referenceSummary, type LogFile } from './feed.js';
import { freshKey, snowflake, startTestDatabase, testLogger, type TestDatabase } from './helpers.js';
import { outageSwitch, type OutageSwitch } from './outage-switch.js';
import { expectedPlayers, storedPlayers } from './snapshot.js';

const OUTAGE_MS = 10_000;
const files: LogFile[] = generateDeathLogHistory({ seed: 99, days: 3, rowsPerDay: 8_000, players: 50 })
  .map((d) => ({ name: d.name, bytes: Buffer.from(d.text) }));

describe('database outage', () => {
  let db: TestDatabase;
  let outage: OutageSwitch;
  beforeAll(async () => {
    db = await startTestDatabase('outage');
    outage = await outageSwitch(db);
  });
  afterAll(async () => {
    await outage.close();
    await db.dispose();
  });

  it('GIVEN the database refusing connections for 10 s mid-run THEN the run completes exactly, memory stays bounded, and the outage is logged once', async () => {
    const { logger, sink } = testLogger();
    const store = await openStore({ uri: outage.uri, dbName: db.dbName, secretsKey: freshKey(), logger, serverSelectionTimeoutMS: 1_000 });
    const guild = store.guild(snowflake(5));
    const server = await guild.servers.add({ name: 'Main', host: 'h', username: 'u', password: 'p' });
    const target = await guild.ingest.target(server.id);
    const maxBufferedRows = 3_000;
    const writer = createIngestWriter(store, { flushRows: 1_000, flushMs: 20, maxBufferedRows, logger });

    let chunks = 0;
    let downAt = -1;
    let upAt = -1;
    const fed = feedFiles(writer, target, files, 4_096, () => { chunks += 1; });
    while (chunks < 30) await new Promise((r) => setTimeout(r, 5));
    await outage.down();
    downAt = chunks;
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    upAt = chunks;
    await outage.up();
    await fed;
    await writer.close();

    expect(await storedPlayers(db.uri, db.dbName)).toEqual(expectedPlayers(referenceSummary(files)));
    // Back-pressure: while nothing could be written, the feeder was held back, not buffered without limit.
    const rowsPerChunk = 4_096 / 60;
    expect((upAt - downAt) * rowsPerChunk).toBeLessThan(maxBufferedRows + 2 * rowsPerChunk + 1_000);
    const warnings = sink.lines.filter((l) => String(l.msg).startsWith('database unreachable'));
    const recoveries = sink.lines.filter((l) => String(l.msg).startsWith('database reachable again'));
    expect(warnings).toHaveLength(1);
    expect(recoveries).toHaveLength(1);
    expect(Number(recoveries[0]?.downMs)).toBeGreaterThan(OUTAGE_MS / 2);
    await store.close();
  }, 60_000);
});
