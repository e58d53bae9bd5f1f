/**
 * Cuts a byte stream into lines for both logs. Cutting at the `\n` byte never splits a UTF-8
 * character, because no byte of a multi-byte character equals 0x0a.
 */

const NEWLINE = 0x0a;
const NEWLINE_BYTE = Uint8Array.of(NEWLINE);

/**
 * The most bytes a line may hold, its newline included. Real lines are a few hundred bytes; a longer
 * one is not ours, and the unfinished line held back (and stored beside the read offset) never
 * grows past this, whatever a file holds.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Receives, in order, what a push completes: a run of whole lines (each ending in `\n`, except an
 * unterminated last line handed over by `flush`), or, with `overLong` set, the first
 * `maxLineBytes` bytes of one line too long to keep. The bytes are valid only during the call.
 */
export type LineSink = (bytes: Uint8Array, overLong: boolean) => void;

/**
 * Holds back the unterminated last line until its newline arrives. A line that reaches
 * `maxLineBytes` bytes without a newline is over-long: its first bytes are kept (the carry is then
 * exactly `maxLineBytes` long, which is how a resumed splitter knows), the rest up to its newline
 * is skipped, and it is handed over as one over-long line. Any chunking gives the same result.
 */
export class LineSplitter {
  private held = new Uint8Array(0);
  private heldLength = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES, carry?: Uint8Array) {
    if (carry !== undefined) this.hold(carry);
  }

  /** Hands every line `chunk` completes to `sink`; keeps the unterminated rest. */
  push(chunk: Uint8Array, sink: LineSink): void {
    let start = 0;
    if (this.heldLength > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.hold(chunk);
        return;
      }
      this.hold(chunk.subarray(0, nl));
      this.emitHeld(sink, true);
      start = nl + 1;
    }
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    if (end > start) this.emitLines(chunk, start, end, sink);
    this.hold(chunk.subarray(Math.max(start, end)));
  }

  /** Hands the held unterminated line (if any) to `sink` as a last line: the stream has ended. */
  flush(sink: LineSink): void {
    if (this.heldLength > 0) this.emitHeld(sink, false);
  }

  /** A copy of the held bytes (at most `maxLineBytes`): pass it back as `carry` to resume. */
  carry(): Uint8Array {
    return this.held.slice(0, this.heldLength);
  }

  /** Keeps bytes of the unfinished line, up to the cap; past it they are skipped. */
  private hold(bytes: Uint8Array): void {
    const take = Math.min(this.maxLineBytes - this.heldLength, bytes.length);
    if (take <= 0) return;
    const needed = this.heldLength + take;
    if (needed > this.held.length) {
      // Doubling: a long line arriving in many small pieces costs linear time.
      const grown = new Uint8Array(Math.min(this.maxLineBytes, Math.max(256, 2 * this.held.length, needed)));
      grown.set(this.held.subarray(0, this.heldLength));
      this.held = grown;
    }
    // Copied: the caller may reuse its read buffer after push returns.
    this.held.set(bytes.subarray(0, take), this.heldLength);
    this.heldLength = needed;
  }

  /** Hands over the held line, ended by a newline (`newline`) or by the end of the stream. */
  private emitHeld(sink: LineSink, newline: boolean): void {
    const overLong = this.heldLength >= this.maxLineBytes;
    if (newline && !overLong) this.hold(NEWLINE_BYTE);
    const line = this.held.subarray(0, this.heldLength);
    this.heldLength = 0;
    sink(line, overLong);
  }

  /** Hands over the whole lines in `chunk[start, end)`, singling out over-long ones. */
  private emitLines(chunk: Uint8Array, start: number, end: number, sink: LineSink): void {
    const max = this.maxLineBytes;
    let run = start;
    let at = start;
    // Only a stretch of `max` bytes with no newline in it is an over-long line: hop from the last
    // newline in each such window to the next, a few steps per chunk rather than one per line.
    while (end - at > max) {
      const nl = chunk.lastIndexOf(NEWLINE, at + max - 1);
      if (nl >= at) {
        at = nl + 1;
        continue;
      }
      if (at > run) sink(chunk.subarray(run, at), false);
      sink(chunk.subarray(at, at + max), true);
      at = chunk.indexOf(NEWLINE, at + max) + 1;
      run = at;
    }
    if (end > run) sink(chunk.subarray(run, end), false);
  }
}
