/**
 * Long main-thread work (folding a history slice, building a pending record) is written as a
 * generator that yields every few hundred rows, and run in time slices with a turn of the event
 * loop between them. The slice is timed rather than counted: steps vary (a row of a big day is
 * several times a small one's work).
 */
const SLICE_MS = 4;

/**
 * The slice of the current loop turn, shared by every stepped job on this thread: jobs that run in
 * the same turn (a batch being encoded while the next chunk is folded in, merges of two servers)
 * share one slice instead of each taking its own back to back. The first job of a turn opens it; an
 * immediate closes it, so the next turn opens a new one. A module-level value on purpose: it
 * describes this thread's event loop, which is one per thread whatever the caller.
 */
let slice: { end: number } | null = null;

function currentSlice(): { end: number } {
  if (slice === null) {
    const opened = { end: performance.now() + SLICE_MS };
    slice = opened;
    setImmediate(() => {
      if (slice === opened) slice = null;
    });
  }
  return slice;
}

/** Runs stepped work to its end, letting timers and I/O run every {@link SLICE_MS} (plus the step under way). */
export async function runStepsYielding<T>(steps: Generator<void, T>): Promise<T> {
  currentSlice(); // a job starting a turn opens its slice before its first step
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    if (performance.now() >= currentSlice().end) {
      await nextTurn();
      currentSlice(); // opened (or joined) before the next step, so that step counts in it
    }
  }
}

/**
 * Resolves after timers and I/O that were due have run. One `setImmediate` is not enough: called
 * from an I/O callback (a worker's reply, a socket read), it runs in that same loop turn's check
 * phase, before any timer; a second one, queued from the check phase, waits for the next turn.
 */
async function nextTurn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}
