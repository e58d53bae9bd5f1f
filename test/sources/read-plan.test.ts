import { describe, expect, it } from 'vitest';
import { fingerprintOf, newCursor, type FileCursor } from '../../src/sources/cursor.js';
import { planFileRead, planServerLogRead } from '../../src/sources/read-plan.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function cursorAfter(text: string, mtimeMs = 1_000): FileCursor {
  return { ...newCursor('x.csv'), offset: bytes(text).length, size: bytes(text).length, mtimeMs, fingerprint: fingerprintOf(bytes(text)) };
}

describe('planFileRead: what to read next for one file', () => {
  it('GIVEN a file never read THEN reads it from 0 without asking for its head', () => {
    expect(planFileRead(newCursor('a.csv'), { size: 120, mtimeMs: 5 })).toEqual({ action: 'read', start: 0 });
    expect(planFileRead(newCursor('a.csv'), { size: 0, mtimeMs: 5 })).toEqual({ action: 'unchanged' });
  });

  it('GIVEN the same size and mtime THEN nothing is downloaded', () => {
    expect(planFileRead(cursorAfter('a;b;\n'), { size: 5, mtimeMs: 1_000 })).toEqual({ action: 'unchanged' });
  });

  it('GIVEN a grown file THEN asks for the head, and with a matching head reads from the stored offset', () => {
    const cursor = cursorAfter('row one;\n');
    expect(planFileRead(cursor, { size: 30, mtimeMs: 2_000 })).toEqual({ action: 'need-head', bytes: 30 });
    expect(planFileRead(cursor, { size: 30, mtimeMs: 2_000 }, bytes('row one;\nrow two;\nrow three;\n'))).toEqual({ action: 'read', start: 9 });
  });

  it('GIVEN a file smaller than the offset THEN restarts from 0 and says it shrank', () => {
    const plan = planFileRead(cursorAfter('0123456789'), { size: 4, mtimeMs: 2_000 });
    expect(plan).toMatchObject({ action: 'restart', reason: 'shrunk' });
  });

  it('GIVEN an equal-size file with other first bytes THEN restarts from 0 as replaced', () => {
    const cursor = cursorAfter('aaaa;\n');
    expect(planFileRead(cursor, { size: 6, mtimeMs: 9_000 }, bytes('bbbb;\n'))).toMatchObject({ action: 'restart', reason: 'replaced' });
    expect(planFileRead(cursor, { size: 6, mtimeMs: 9_000 }, bytes('aaaa;\n'))).toEqual({ action: 'unchanged' });
  });

  it('GIVEN a read cut short by maxBytes THEN the rest is read next tick without another head check', () => {
    const cursor = { ...cursorAfter('0123'), size: 10 };
    expect(planFileRead(cursor, { size: 10, mtimeMs: 1_000 })).toEqual({ action: 'read', start: 4 });
  });

  it('GIVEN a fingerprint over fewer than 256 bytes THEN only those bytes are compared', () => {
    const cursor = cursorAfter('short;\n');
    expect(planFileRead(cursor, { size: 400, mtimeMs: 2 }, bytes(`short;\n${'x'.repeat(249)}`))).toEqual({ action: 'read', start: 7 });
  });
});

describe('planServerLogRead: Deadside.log restarts', () => {
  const first = 'Log file open, 05/17/25 02:01:30\nLogInit: Command Line: -log\n';
  it('GIVEN a new "Log file open" first line at a larger size THEN it is a new session', () => {
    const later = bytes('Log file open, 05/18/25 06:00:00\nLogInit: Command Line: -log -port=7777 and more\n');
    expect(planServerLogRead(cursorAfter(first), { size: later.length, mtimeMs: 5_000 }, later)).toMatchObject({ action: 'restart', reason: 'new-session' });
  });
  it('GIVEN a shrunk log THEN it restarts as shrunk', () => {
    expect(planServerLogRead(cursorAfter(first), { size: 10, mtimeMs: 5_000 })).toMatchObject({ action: 'restart', reason: 'shrunk' });
  });
  it('GIVEN appended lines THEN only they are read', () => {
    const grown = bytes(`${first}[2025.05.17-02.01.31:102][  0]LogWorld: up\n`);
    expect(planServerLogRead(cursorAfter(first), { size: grown.length, mtimeMs: 5_000 }, grown)).toEqual({ action: 'read', start: bytes(first).length });
  });
});
