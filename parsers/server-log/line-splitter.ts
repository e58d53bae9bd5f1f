/**
 * Cuts a byte stream into lines. Splitting is done on bytes, not text: `\n` (0x0A) never occurs
 * inside a multi-byte UTF-8 character, so a chunk that ends mid-character simply leaves the rest
 * of the line held until its newline arrives, and each line is decoded whole.
 */

const NEWLINE = 0x0a;
const RETAINED_BUFFER_BYTES = 64 * 1024;

/** Receives one complete line: its bytes without the newline, and whether it was too long to keep. */
export type LineSink = (bytes: Uint8Array, oversized: boolean) => void;

/** A byte-stream line cutter that holds back the unterminated last line. */
export interface LineSplitter {
  /** Hands every line completed by `chunk` to `sink`, in order. */
  split(chunk: Uint8Array, sink: LineSink): void;
  /** Hands the held unterminated line (if any) to `sink` as a final line. */
  flush(sink: LineSink): void;
  /** A copy of the held bytes: the start of a line whose newline has not arrived yet. */
  held(): Uint8Array;
}

/**
 * `maxLineBytes` bounds memory: of a longer line only its first `maxLineBytes + 1` bytes are kept,
 * enough to know it is oversized; the same bytes are kept whatever the chunking, so results match.
 */
export function createLineSplitter(maxLineBytes: number): LineSplitter {
  const keep = maxLineBytes + 1;
  // Held bytes were all searched already and hold no newline; only new bytes are ever searched.
  // The buffer grows by doubling, so a long line arriving in many small chunks costs linear time.
  let held = new Uint8Array(0);
  let heldLength = 0;

  function hold(bytes: Uint8Array): void {
    const take = Math.min(keep - heldLength, bytes.length);
    if (take <= 0) return;
    if (heldLength + take > held.length) {
      const grown = new Uint8Array(Math.min(keep, Math.max(256, 2 * held.length, heldLength + take)));
      grown.set(held.subarray(0, heldLength));
      held = grown;
    }
    // Copied: the caller may reuse its read buffer after push returns.
    held.set(bytes.subarray(0, take), heldLength);
    heldLength += take;
  }

  function emitHeld(sink: LineSink): void {
    const line = held.subarray(0, heldLength);
    heldLength = 0;
    emit(line, sink);
    // Do not keep a megabyte buffer alive for the ordinary short lines that follow a long one.
    if (held.length > RETAINED_BUFFER_BYTES) held = new Uint8Array(0);
  }

  function emit(bytes: Uint8Array, sink: LineSink): void {
    const oversized = bytes.length > maxLineBytes;
    sink(oversized ? bytes.subarray(0, keep) : bytes, oversized);
  }

  return {
    split(chunk, sink) {
      let start = 0;
      let nl = chunk.indexOf(NEWLINE);
      while (nl !== -1) {
        if (heldLength > 0) {
          hold(chunk.subarray(start, nl));
          emitHeld(sink);
        } else {
          emit(chunk.subarray(start, nl), sink);
        }
        start = nl + 1;
        nl = chunk.indexOf(NEWLINE, start);
      }
      hold(chunk.subarray(start));
    },
    flush(sink) {
      if (heldLength > 0) emitHeld(sink);
    },
    held: () => held.slice(0, heldLength),
  };
}
