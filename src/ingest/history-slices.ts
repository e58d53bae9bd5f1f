import { MAX_LINE_BYTES } from '../../parsers/index.js';
import { fingerprintOf, type LogSource, type ResumePoint } from '../sources/index.js';

/**
 * One read's worth of a file, cut at its last newline: `bytes` are complete rows (in a buffer of
 * their own, moved to the worker, never copied on the main thread) after `carry`, the unfinished
 * row the previous read ended with (or the resume point's, for a file's first slice). A row longer
 * than the line cap is carried only up to the cap, as a tick's parser holds it.
 */
export interface SliceRead {
  carry: Uint8Array;
  bytes: Uint8Array;
  /** Where the rows end in the file. */
  end: number;
  /** Bytes read from the source for this slice. */
  read: number;
  first: boolean;
  /** The file's fingerprint: of its first bytes when read from 0, else the resume point's. */
  head: string;
  /** The file's last slice: with `final`, its unterminated last row is a row too. */
  last: boolean;
}

/** Reads a file from its resume point, one slice per read, in order. */
export async function* readSlices(source: LogSource, path: string, from: ResumePoint, sliceBytes: number): AsyncGenerator<SliceRead> {
  let offset = from.start;
  let carry = from.carry;
  let head = from.fingerprint;
  let read = 0;
  let first = true;
  for (;;) {
    const block = await source.read(path, { start: offset, maxBytes: sliceBytes });
    if (offset === 0) head = block.length > 0 ? fingerprintOf(block) : '';
    const blockStart = offset;
    offset += block.length;
    read += block.length;
    const last = block.length < sliceBytes;
    const cut = last ? block.length : block.lastIndexOf(0x0a) + 1;
    if (cut === 0 && !last) {
      carry = capped(carry, block);
      continue;
    }
    const next = capped(new Uint8Array(0), block.subarray(cut));
    yield { carry, bytes: ownBuffer(block).subarray(0, cut), end: blockStart + cut, read, first, head, last };
    carry = next;
    read = 0;
    first = false;
    if (last) return;
  }
}

/** `row` followed by as much of `more` as the line cap leaves room for (a copy). */
function capped(row: Uint8Array, more: Uint8Array): Uint8Array {
  return concat(row, more.subarray(0, Math.max(0, MAX_LINE_BYTES - row.length)));
}

/** `bytes` over the whole of a buffer, so it can be transferred: sources return such buffers; anything else is copied once. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
