/**
 * Cuts a byte stream at its last newline: what comes before is complete lines, what comes after is
 * an unfinished line held back until its newline arrives. Cutting at the `\n` byte never splits a
 * UTF-8 character, because no byte of a multi-byte character equals 0x0a.
 *
 * The held-back part is kept as a list of chunks and joined only once a newline arrives, so a huge
 * line fed in small pieces costs linear time, not quadratic.
 */
export class LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(carry?: Uint8Array) {
    if (carry && carry.length > 0) this.hold(carry);
  }

  /** Returns the complete lines (ending with `\n`) now available, or null when there are none. */
  push(chunk: Uint8Array): Uint8Array | null {
    const cut = chunk.lastIndexOf(0x0a);
    if (cut < 0) {
      if (chunk.length > 0) this.hold(chunk.slice());
      return null;
    }
    const complete = this.take(chunk.subarray(0, cut + 1));
    if (cut + 1 < chunk.length) this.hold(chunk.slice(cut + 1));
    return complete;
  }

  /** Returns the held-back unfinished line (or null) and forgets it. */
  flush(): Uint8Array | null {
    return this.pendingBytes === 0 ? null : this.take(new Uint8Array(0));
  }

  /** A copy of the held-back bytes. */
  carry(): Uint8Array {
    return concat(this.pending, this.pendingBytes);
  }

  /** Bytes held back. */
  get size(): number {
    return this.pendingBytes;
  }

  private hold(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private take(tail: Uint8Array): Uint8Array {
    if (this.pendingBytes === 0) return tail;
    const all = concat([...this.pending, tail], this.pendingBytes + tail.length);
    this.pending = [];
    this.pendingBytes = 0;
    return all;
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0].slice();
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
