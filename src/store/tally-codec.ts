import type { Totals } from '../../parsers/index.js';
import { daySegment, type BatchTally, type DayDelta, type PlayerDelta } from './batch-tally.js';
import { readSegment, segmentBytes } from './pair-segment.js';
import { runStepsYielding } from './steps.js';
import { WeaponCounts, WeaponTable } from './weapon-counts.js';

/**
 * A {@link BatchTally} as a pending batch record's body: one byte array, `[text bytes: uint32 LE]
 * [the figures as JSON text, UTF-8][the killer-victim segments (pair-segment.ts), one after
 * another]`. Not a document tree: the record is written once per batch and read back only after a
 * crash, and a byte array is far cheaper to encode and store than thousands of small arrays.
 * EOS ids are written once, in a table, and referred to by index; maps become flat
 * `[key, count, key, count...]` arrays, so names like `__proto__` stay data.
 */
interface EncodedTally {
  totals: Totals;
  firstTime: number | null;
  lastTime: number | null;
  ids: string[];
  /** [id index, name, kills, deaths, suicides, longestKill, lastSeen, platform | null, lead, reset 0/1, tail, best, weapons, stored streak | null, player no] */
  players: [number, string, number, number, number, number, number, string | null, number, number, number, number, (string | number)[], number | null, number][];
  /** [day, [[id index, kills, deaths, suicides, longestKill, weapons, int32s of its segment]]] */
  days: [string, [number, number, number, number, number, (string | number)[], number][]][];
}

/**
 * Encodes a tally in steps of a few hundred player-days, run in slices with the event loop turning
 * between them (steps.ts): a history batch's body is megabytes, tens of ms to build in one go.
 */
export function encodeTally(t: BatchTally): Promise<Uint8Array> {
  return runStepsYielding(encodeSteps(t));
}

const ROWS_PER_STEP = 500;

function* encodeSteps(t: BatchTally): Generator<void, Uint8Array> {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const at = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      index.set(id, (i = ids.length));
      ids.push(id);
    }
    return i;
  };
  // JSON text built and encoded to UTF-8 a few hundred rows at a time (each one short step); at the
  // end the pieces are only copied into the body, never joined into one big string first.
  const playerText: Buffer[] = [];
  let rows: unknown[] = [];
  for (const p of t.players.values()) {
    const s = p.streak;
    rows.push([at(p.id), p.name, p.kills, p.deaths, p.suicides, p.longestKill, p.lastSeen, p.platform ?? null,
      s.lead, s.reset ? 1 : 0, s.tail, s.best, flat(t.weapons, p.weapons), p.baseStreak ?? null, p.no]);
    if (rows.length === ROWS_PER_STEP) {
      playerText.push(jsonItems(rows));
      rows = [];
      yield;
    }
  }
  if (rows.length > 0) playerText.push(jsonItems(rows));
  const dayText: Buffer[][] = [];
  const segments: Int32Array[] = [];
  let ints = 0;
  for (const [day, byPlayer] of t.days) {
    const parts: Buffer[] = [];
    rows = [];
    for (const [id, d] of byPlayer) {
      const segment = daySegment(d);
      if (segment !== null) {
        segments.push(segment);
        ints += segment.length;
      }
      rows.push([at(id), d.kills, d.deaths, d.suicides, d.longestKill, flat(t.weapons, d.weapons), segment?.length ?? 0]);
      if (rows.length === ROWS_PER_STEP) {
        parts.push(jsonItems(rows));
        rows = [];
        yield;
      }
    }
    if (rows.length > 0) parts.push(jsonItems(rows));
    dayText.push([Buffer.from(`[${JSON.stringify(day)},[`), ...joined(parts), Buffer.from(']]')]);
  }
  const head = JSON.stringify({ totals: t.totals, firstTime: t.firstTime, lastTime: t.lastTime, ids });
  const text = [Buffer.from(`${head.slice(0, -1)},"players":[`), ...joined(playerText), Buffer.from('],"days":['), ...joined(dayText), Buffer.from(']}')];
  const textBytes = text.reduce((n, b) => n + b.length, 0);
  const body = new Uint8Array(4 + textBytes + 4 * ints);
  new DataView(body.buffer).setUint32(0, textBytes, true);
  let offset = 4;
  for (const piece of text) {
    body.set(piece, offset);
    offset += piece.length;
  }
  for (const segment of segments) {
    body.set(segmentBytes(segment), offset);
    offset += segment.byteLength;
  }
  return body;
}

const COMMA = Buffer.from(',');

/** The rows as JSON array items (no brackets), UTF-8. */
function jsonItems(rows: unknown[]): Buffer {
  return Buffer.from(JSON.stringify(rows).slice(1, -1));
}

/** The items (each a piece, or the pieces of one) with a comma between each two. */
function joined(items: (Buffer | Buffer[])[]): Buffer[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [COMMA, item]).flat());
}

/** The tally a body encodes (see {@link encodeTally}). */
export function decodeTally(body: Uint8Array): BatchTally {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const textBytes = view.getUint32(0, true);
  const e = JSON.parse(Buffer.from(body.buffer, body.byteOffset + 4, textBytes).toString('utf8')) as EncodedTally;
  const id = (i: number): string => e.ids[i] ?? '';
  const table = new WeaponTable();
  const unflat = (items: readonly (string | number)[]): WeaponCounts => {
    const out = new WeaponCounts();
    for (let i = 0; i + 1 < items.length; i += 2) out.add(table.idOf(String(items[i])), items[i + 1] as number);
    return out;
  };
  const players = new Map<string, PlayerDelta>();
  for (const [i, name, kills, deaths, suicides, longestKill, lastSeen, platform, lead, reset, tail, best, weapons, base, no] of e.players) {
    const p: PlayerDelta = {
      id: id(i), no, name, kills, deaths, suicides, longestKill, lastSeen,
      streak: { lead, reset: reset === 1, tail, best }, weapons: unflat(weapons),
    };
    if (platform !== null) p.platform = platform;
    if (base !== null) p.baseStreak = base;
    players.set(p.id, p);
  }
  const all = readSegment(body.subarray(4 + textBytes));
  let at = 0;
  const days = new Map<string, Map<string, DayDelta>>();
  for (const [day, rows] of e.days) {
    const byPlayer = new Map<string, DayDelta>();
    for (const [i, kills, deaths, suicides, longestKill, weapons, ints] of rows) {
      byPlayer.set(id(i), {
        kills, deaths, suicides, longestKill, weapons: unflat(weapons),
        victims: null, killedBy: null, packed: [], segment: ints > 0 ? all.subarray(at, at + ints) : null,
      });
      at += ints;
    }
    days.set(day, byPlayer);
  }
  return { totals: e.totals, firstTime: e.firstTime, lastTime: e.lastTime, players, days, weapons: table, bytes: body.length };
}

function flat(table: WeaponTable, counts: WeaponCounts): (string | number)[] {
  const out: (string | number)[] = [];
  counts.forEach(table, (weapon, n) => out.push(weapon, n));
  return out;
}
