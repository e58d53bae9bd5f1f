import { Binary } from 'mongodb';

/**
 * One player-day's killer-victim counts from one batch, as the day document keeps them: a `Binary`
 * appended to its `pairs` list (readers add the list up, so batches never merge segments).
 * Little-endian int32s: `[v, victimNo, kills, ... (v entries), killerNo, deaths, ...]`, players by
 * their number on the game server (player-numbers.ts).
 *
 * Why binary numbers: pairs number nearly one per PvP kill, and as JSON text with EOS ids they were
 * most of the bytes of every write, each encoded and decoded as UTF-8 on both ends of the wire; a
 * Binary is copied, never parsed, and an entry is 8 bytes instead of about 40.
 */
export interface PairEntries {
  /** [player no, count] entries: first `victims` of them for victims, then killers. */
  entries: Int32Array;
  victims: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Joins counts kept in maps (ticks) and entry lists that arrived packed (history runs) into one segment. */
export function buildSegment(victims: ReadonlyMap<number, number>, killers: ReadonlyMap<number, number>, packed: readonly PairEntries[]): Int32Array {
  let ints = 1 + 2 * (victims.size + killers.size);
  for (const p of packed) ints += p.entries.length;
  const out = new Int32Array(ints);
  let at = 1;
  const putMap = (m: ReadonlyMap<number, number>): void => {
    for (const [no, n] of m) {
      out[at++] = no;
      out[at++] = n;
    }
  };
  putMap(victims);
  for (const p of packed) {
    out.set(p.entries.subarray(0, 2 * p.victims), at);
    at += 2 * p.victims;
  }
  out[0] = (at - 1) / 2;
  putMap(killers);
  for (const p of packed) {
    out.set(p.entries.subarray(2 * p.victims), at);
    at += p.entries.length - 2 * p.victims;
  }
  return out;
}

/** The segment's bytes, little-endian on any host. */
export function segmentBytes(segment: Int32Array): Uint8Array {
  const bytes = new Uint8Array(segment.buffer, segment.byteOffset, segment.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const swapped = new Uint8Array(bytes.length);
  const view = new DataView(swapped.buffer);
  segment.forEach((v, i) => view.setInt32(4 * i, v, true));
  return swapped;
}

export function segmentBinary(segment: Int32Array): Binary {
  return new Binary(segmentBytes(segment));
}

/** Reads a segment's little-endian bytes back (from a stored Binary or a pending record's bytes). */
export function readSegment(bytes: Uint8Array): Int32Array {
  const out = new Int32Array(bytes.byteLength >> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i += 1) out[i] = view.getInt32(4 * i, true);
  return out;
}

/** Adds a stored segment into running counts: kills on each victim, deaths by each killer, by player number. */
export function addSegment(stored: Binary | Uint8Array, victims: Map<number, number>, killers: Map<number, number>): void {
  const ints = readSegment(stored instanceof Uint8Array ? stored : stored.value());
  const v = ints[0] ?? 0;
  for (let i = 1; i + 1 < ints.length; i += 2) {
    const into = (i - 1) / 2 < v ? victims : killers;
    const no = ints[i] as number;
    into.set(no, (into.get(no) ?? 0) + (ints[i + 1] as number));
  }
}
