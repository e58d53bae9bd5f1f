/**
 * The writer process of the crash test (run with `node --import tsx`): ingests every death-log file
 * in a folder into a store, resuming from the store's durable cursors, and prints one line per chunk
 * accepted so the test can SIGKILL it at a random point. Every other file is fed packed (history-run form). Arguments: uri dbName folder flushRows chunkBytes partBytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../src/logging/logger.js';
import { createIngestWriter, openStore, parseSecretsKey } from '../../src/store/index.js';
import { feedFiles } from './feed.js';

const [uri = '', dbName = '', folder = '', flushRows = '2000', chunkBytes = '16384', partBytes = '262144'] = process.argv.slice(2);
const logger = createLogger({ level: 'info', pretty: false, destination: process.stderr });
const store = await openStore({ uri, dbName, secretsKey: parseSecretsKey('11'.repeat(32)), logger });
const guild = store.guild('112233445566778899');
const server = (await guild.servers.findByName('Main')) ?? (await guild.servers.add({ name: 'Main', host: 'h', username: 'u', password: 'p' }));
const target = await guild.ingest.target(server.id);
const writer = createIngestWriter(store, { flushRows: Number(flushRows), flushMs: 20, maxBufferedRows: 4 * Number(flushRows), partBytes: Number(partBytes), logger });
const files = readdirSync(folder).filter((f) => f.endsWith('.csv')).sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(folder, name))) }));
let chunks = 0;
// Every other file goes in packed, as a history run's workers send it: batches then mix both forms.
await feedFiles(writer, target, files, Number(chunkBytes), () => process.stdout.write(`chunk ${(chunks += 1)}\n`), (i) => i % 2 === 0);
await writer.close();
await store.close();
process.stdout.write('done\n');
