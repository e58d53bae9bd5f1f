import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createDeathLogParser } from '../../parsers/index.js';
import {
  discoverLayout, listDeathLogs, newDeathLogCursor, newServerLogCursor, readDeathLogUpdate, readServerLogUpdate,
  SourceError, type DeathLogCursor, type DeathLogUpdate, type FileCursor, type LogSource,
} from '../../src/sources/index.js';
import { fixtureBytes, referenceFigures } from '../helpers/fixtures.js';

/** What the shared behaviour tests need: a folder on disk that the source sees as its root. */
export interface SourceHarness {
  disk(): string;
  source(): LogSource;
}

/** Counts calls per method on a real source: how the "an idle tick costs one stat" rule is checked. */
export function counting(source: LogSource): { source: LogSource; calls: Record<'list' | 'stat' | 'read' | 'readHead', number> } {
  const calls = { list: 0, stat: 0, read: 0, readHead: 0 };
  return {
    calls,
    source: {
      label: source.label,
      list: (d) => { calls.list += 1; return source.list(d); },
      stat: (p) => { calls.stat += 1; return source.stat(p); },
      read: (p, o) => { calls.read += 1; return source.read(p, o); },
      readHead: (p, n) => { calls.readHead += 1; return source.readHead(p, n); },
      close: () => source.close(),
    },
  };
}

/** Parses every chunk the way a tick does, and returns the settled cursors (of every file read) and rows counted. */
export function applyDeathLogUpdate(update: DeathLogUpdate): { cursor: DeathLogCursor; fileCursors: FileCursor[]; rows: number; files: string[] } {
  let rows = 0;
  const fileCursors = [...update.files];
  for (const chunk of update.chunks) {
    const parser = createDeathLogParser({ file: chunk.file, carry: chunk.carry, nextLine: chunk.nextLine });
    rows += parser.push(chunk.bytes).rows;
    if (chunk.final) rows += parser.end().rows;
    const at = fileCursors.findIndex((f) => f.file === chunk.file);
    const read = fileCursors[at];
    if (read) fileCursors[at] = { ...read, carry: parser.carry(), nextLine: parser.nextLine };
  }
  return { cursor: { ...update.cursor, file: fileCursors.at(-1) ?? update.cursor.file }, fileCursors, rows, files: update.chunks.map((c) => c.file) };
}

const LIVE = '2025.05.15-00.00.00.csv';
const NEXT_DAY = '2025.05.16-00.00.00.csv';
const TICK_MS = 30_000;

/** Cut points that land mid-row, so the last row of a piece is always unfinished. */
function midRowCuts(bytes: Buffer, parts: number): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < parts; i += 1) {
    const at = Math.floor((bytes.length * i) / parts);
    cuts.push(bytes[at - 1] === 0x0a ? at + 3 : at);
  }
  return [0, ...cuts, bytes.length];
}

/** The behaviour every LogSource must show; run once per implementation. */
export function sourceBehaviour(h: SourceHarness): void {
  let caseNo = 0;
  const fresh = (): string => {
    caseNo += 1;
    const rel = `case-${caseNo}`;
    mkdirSync(join(h.disk(), rel), { recursive: true });
    return rel;
  };
  const write = (rel: string, data: Uint8Array | string): void => {
    mkdirSync(dirname(join(h.disk(), rel)), { recursive: true });
    writeFileSync(join(h.disk(), rel), data);
  };
  const append = (rel: string, data: Uint8Array): void => appendFileSync(join(h.disk(), rel), data);
  const age = (rel: string, seconds: number): void => {
    const t = new Date(Date.now() + seconds * 1000);
    utimesSync(join(h.disk(), rel), t, t);
  };
  const rowsIn = (name: string): number => referenceFigures().rowsPerFile.get(name) ?? Number.NaN;

  it('finds the death logs and Deadside.log in the {host}_{serverId} layout', async () => {
    const base = fresh();
    write(`${base}/10.0.0.5_4242/actual1/deathlogs/world_0/${LIVE}`, fixtureBytes(`csv-9col/${LIVE}`));
    write(`${base}/10.0.0.5_4242/Logs/Deadside.log`, fixtureBytes('serverlog/Deadside.synthetic.log'));
    write(`${base}/10.0.0.5_4242/readme.txt`, 'not a log');
    const layout = await discoverLayout(h.source(), { root: base });
    expect(layout.deathLogDir).toBe(`${base}/10.0.0.5_4242/actual1/deathlogs/world_0`);
    expect(layout.serverLogPath).toBe(`${base}/10.0.0.5_4242/Logs/Deadside.log`);
  });

  it('finds them in the Deadside/Saved layout and pairs them when the account holds two servers', async () => {
    const base = fresh();
    for (const server of ['a', 'b']) {
      write(`${base}/${server}/Deadside/Saved/actual1/deathlogs/world_0/${LIVE}`, fixtureBytes(`csv-9col/${LIVE}`));
      write(`${base}/${server}/Deadside/Saved/Logs/Deadside.log`, 'Log file open, 05/17/25 02:01:30\n');
      write(`${base}/${server}/Deadside/Binaries/Linux/DeadsideServer`, 'binary');
    }
    const one = await discoverLayout(h.source(), { root: `${base}/b` });
    expect(one).toMatchObject({ deathLogDir: `${base}/b/Deadside/Saved/actual1/deathlogs/world_0`, serverLogPath: `${base}/b/Deadside/Saved/Logs/Deadside.log` });
    const both = await discoverLayout(h.source(), { root: base });
    expect(both.candidates.deathLogDirs).toHaveLength(2);
    expect(both.serverLogPath?.startsWith(both.deathLogDir?.split('/Saved/')[0] ?? '?')).toBe(true);
  });

  it('honours configured paths without walking, and names a configured path that does not exist', async () => {
    const base = fresh();
    write(`${base}/logs/dl/${LIVE}`, fixtureBytes(`csv-9col/${LIVE}`));
    write(`${base}/logs/server.log`, 'Log file open, 05/17/25 02:01:30\n');
    const layout = await discoverLayout(h.source(), { deathLogDir: `${base}/logs/dl`, serverLogPath: `${base}/logs/server.log` });
    expect(layout).toMatchObject({ deathLogDir: `${base}/logs/dl`, serverLogPath: `${base}/logs/server.log`, foldersListed: 0 });
    const missing = await discoverLayout(h.source(), { deathLogDir: `${base}/nope` }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SourceError);
    expect((missing as SourceError).kind).toBe('not-found');
    expect((missing as SourceError).message).toContain(`${base}/nope`);
  });

  it('lists day files by name, newest last, and counts the other names', async () => {
    const dir = fresh();
    for (const name of [NEXT_DAY, LIVE, '2025.05.03-00.00.00.csv', 'old.csv.bak', 'notes.txt']) write(`${dir}/${name}`, '');
    const listing = await listDeathLogs(h.source(), dir);
    expect(listing.files.map((f) => f.name)).toEqual(['2025.05.03-00.00.00.csv', LIVE, NEXT_DAY]);
    expect(listing.ignored).toBe(2);
  });

  it('reads only the appended bytes, a cut row finished on the next read, and an idle tick costs only stats', async () => {
    const dir = fresh();
    const whole = fixtureBytes(`csv-9col/${LIVE}`);
    const cuts = midRowCuts(whole, 4);
    const { source, calls } = counting(h.source());
    let cursor = newDeathLogCursor(dir);
    let rows = 0;
    let now = 0;
    write(`${dir}/${LIVE}`, new Uint8Array(0));
    for (let i = 1; i < cuts.length; i += 1) {
      const piece = whole.subarray(cuts[i - 1], cuts[i]);
      append(`${dir}/${LIVE}`, piece);
      now += TICK_MS;
      const update = await readDeathLogUpdate(source, cursor, { now });
      expect(Buffer.concat(update.chunks.map((c) => c.bytes))).toEqual(piece);
      const applied = applyDeathLogUpdate(update);
      cursor = applied.cursor;
      rows += applied.rows;
    }
    expect(rows).toBe(rowsIn(LIVE));
    expect(cursor.file?.offset).toBe(whole.length);
    // Two listings settle the folder; from then on a quiet tick is one stat of the folder and one of the file.
    await readDeathLogUpdate(source, cursor, { now: now + TICK_MS });
    const before = { ...calls };
    const idle = await readDeathLogUpdate(source, cursor, { now: now + 2 * TICK_MS });
    expect(idle.chunks).toEqual([]);
    expect({ stat: calls.stat - before.stat, list: calls.list - before.list, read: calls.read - before.read, readHead: calls.readHead - before.readHead })
      .toEqual({ stat: 2, list: 0, read: 0, readHead: 0 });
  });

  it('drains yesterday\'s file to its end, then reads the new day\'s file from 0', async () => {
    const dir = fresh();
    const day1 = fixtureBytes(`csv-9col/${LIVE}`);
    const day2 = fixtureBytes('csv-9col/2025.05.01-00.00.00.csv');
    const [, cut = 0] = midRowCuts(day1, 2);
    write(`${dir}/${LIVE}`, day1.subarray(0, cut));
    const first = applyDeathLogUpdate(await readDeathLogUpdate(h.source(), newDeathLogCursor(dir), { now: 0 }));
    append(`${dir}/${LIVE}`, day1.subarray(cut));
    write(`${dir}/${NEXT_DAY}`, day2);
    const update = await readDeathLogUpdate(h.source(), first.cursor, { now: TICK_MS });
    expect(update.chunks.map((c) => [c.file, c.start, c.final])).toEqual([[`${dir}/${LIVE}`, cut, true], [`${dir}/${NEXT_DAY}`, 0, false]]);
    const second = applyDeathLogUpdate(update);
    // Yesterday's cursor says it is finished: whatever reads on from the stored cursors leaves it be.
    expect(second.fileCursors[0]).toMatchObject({ file: `${dir}/${LIVE}`, offset: day1.length, carry: new Uint8Array(0), nextLine: rowsIn(LIVE) + 1 });
    expect(first.rows + second.rows).toBe(rowsIn(LIVE) + rowsIn('2025.05.01-00.00.00.csv'));
    expect(second.cursor.file).toMatchObject({ file: `${dir}/${NEXT_DAY}`, offset: day2.length, nextLine: rowsIn('2025.05.01-00.00.00.csv') + 1 });
  });

  it('catches a death log replaced by one of the same size by its first bytes, dropping the old cut row', async () => {
    const dir = fresh();
    const original = fixtureBytes(`csv-9col/${LIVE}`);
    const replacement = Buffer.from(original.toString('utf8').replace('Fatalben0', 'Fatalben9'));
    const [, cut = 0] = midRowCuts(original, 2);
    write(`${dir}/${LIVE}`, original.subarray(0, cut));
    const first = applyDeathLogUpdate(await readDeathLogUpdate(h.source(), newDeathLogCursor(dir), { now: 0 }));
    expect(first.cursor.file?.carry.length).toBeGreaterThan(0);
    write(`${dir}/${LIVE}`, replacement.subarray(0, cut));
    age(`${dir}/${LIVE}`, 60);
    const update = await readDeathLogUpdate(h.source(), first.cursor, { now: TICK_MS });
    expect(update.chunks).toHaveLength(1);
    expect(update.chunks[0]).toMatchObject({ start: 0, nextLine: 1, carry: new Uint8Array(0), restart: { reason: 'replaced' } });
    expect(Buffer.from(update.chunks[0]?.bytes ?? [])).toEqual(replacement.subarray(0, cut));
    expect(applyDeathLogUpdate(update).rows).toBe(first.rows);
  });

  it('reads Deadside.log incrementally and flags a shrink or a new session as a restart', async () => {
    const base = fresh();
    const path = `${base}/Logs/Deadside.log`;
    const log = fixtureBytes('serverlog/Deadside.synthetic.log');
    const { source, calls } = counting(h.source());
    write(path, log);
    const first = await readServerLogUpdate(source, newServerLogCursor(path));
    expect(Buffer.from(first.chunk?.bytes ?? [])).toEqual(log);
    const more = Buffer.from('[2025.05.17-03.00.00:000][900]LogSFPS: AirDrop switched to Flying\n');
    append(path, more);
    const second = await readServerLogUpdate(source, first.cursor);
    expect(Buffer.from(second.chunk?.bytes ?? [])).toEqual(more);
    expect(second.resetOnlineState).toBe(false);
    const before = calls.stat + calls.read + calls.readHead + calls.list;
    expect((await readServerLogUpdate(source, second.cursor)).chunk).toBeNull();
    expect(calls.stat + calls.read + calls.readHead + calls.list - before).toBe(1);

    const restarted = Buffer.from('Log file open, 05/18/25 06:00:00\nLogInit: Command Line: -log\n');
    write(path, restarted);
    const shrunk = await readServerLogUpdate(source, second.cursor);
    expect(shrunk).toMatchObject({ resetOnlineState: true, chunk: { restart: { reason: 'shrunk' } } });
    expect(Buffer.from(shrunk.chunk?.bytes ?? [])).toEqual(restarted);

    const nextSession = Buffer.concat([Buffer.from('Log file open, 05/19/25 07:30:00\n'), log]);
    write(path, nextSession);
    age(path, 120);
    const renewed = await readServerLogUpdate(source, shrunk.cursor);
    expect(renewed).toMatchObject({ resetOnlineState: true, chunk: { restart: { reason: 'new-session' } } });
    expect(renewed.chunk?.bytes.length).toBe(nextSession.length);
  });

  it('says which path is missing', async () => {
    const error = await readServerLogUpdate(h.source(), newServerLogCursor('no/such/Deadside.log')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ kind: 'not-found' });
    expect((error as Error).message).toContain('no/such/Deadside.log');
  });
}
