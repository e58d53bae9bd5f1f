/**
 * Cuts a file's bytes into slices that end at a newline, so workers can parse them in parallel and
 * no row is split between two slices. Scanning for the cut is one `lastIndexOf` per slice: the main
 * thread never walks the bytes.
 */
export interface Slice {
  /** Offset of the slice in the file. */
  start: number;
  bytes: Uint8Array;
}

export function sliceAtNewlines(bytes: Uint8Array, target: number, fileOffset = 0): Slice[] {
  const slices: Slice[] = [];
  let from = 0;
  while (from < bytes.length) {
    let to = Math.min(bytes.length, from + target);
    if (to < bytes.length) {
      const cut = bytes.lastIndexOf(0x0a, to - 1);
      // A single row longer than the target: take it whole up to its own newline.
      to = cut >= from ? cut + 1 : nextNewline(bytes, to);
    }
    // Copy into its own buffer so it can be transferred to a worker without detaching the rest.
    slices.push({ start: fileOffset + from, bytes: bytes.slice(from, to) });
    from = to;
  }
  return slices;
}

function nextNewline(bytes: Uint8Array, from: number): number {
  const i = bytes.indexOf(0x0a, from);
  return i < 0 ? bytes.length : i + 1;
}
