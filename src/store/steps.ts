/**
 * Long main-thread work (folding a history slice, building a pending record) is written as a
 * generator that yields every few hundred rows; these run one, all at once or in time slices with
 * a turn of the event loop between them.
 */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
}

/**
 * How long stepped work runs before the event loop turns. Steps vary (a row of a big day is
 * several times a small one's work), so the slice is timed rather than counted.
 */
const SLICE_MS = 4;

/**
 * When the current slice ends, shared by every stepped job on this thread: jobs that resume in the
 * same loop turn (a batch being encoded while the next chunk is folded in, merges of two servers)
 * share one slice instead of each taking its own back to back. A module-level value on purpose: it
 * describes this thread's event loop, which is one per thread whatever the caller.
 */
let sliceEnd = 0;

/** {@link runSteps}, letting timers and I/O run every {@link SLICE_MS} (plus the step under way). */
export async function runStepsYielding<T>(steps: Generator<void, T>): Promise<T> {
  let now = performance.now();
  if (now >= sliceEnd + SLICE_MS) sliceEnd = now + SLICE_MS; // the first job of a new turn opens a slice
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    now = performance.now();
    if (now >= sliceEnd) {
      await nextTurn();
      sliceEnd = performance.now() + SLICE_MS;
    }
  }
}

/**
 * Resolves after timers and I/O that were due have run. One `setImmediate` is not enough: called
 * from an I/O callback (a worker's reply, a socket read), it runs in that same loop turn's check
 * phase, before any timer; a second one, queued from the check phase, waits for the next turn.
 */
export async function nextTurn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}
